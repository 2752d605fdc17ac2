package dev.symgrad.examples.data;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.StringReader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CsvTableTest {

    private static CsvTable parse(String text) throws Exception {
        return CsvTable.parse("t.csv", new BufferedReader(new StringReader(text)));
    }

    @Test
    void readsColumnsByName() throws Exception {
        CsvTable table = parse("a,b\n1,2\n3,4.5\n");
        assertArrayEquals(new double[] {2, 4.5}, table.column("b"));
        assertEquals(2, table.rows());
    }

    @Test
    void aBadCellNamesTheRowAndColumn() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("a,b\n1,2\n3,x\n"));
        assertEquals("t.csv: row 3, column 2 ('b'): 'x' is not a number", e.getMessage());
    }

    @Test
    void aShortRowNamesTheRow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("a,b\n1\n"));
        assertEquals("t.csv: row 2 has 1 cells, the header has 2", e.getMessage());
    }

    @Test
    void theBundledDataSetsHaveTheirDocumentedShape() {
        assertEquals(569, CsvTable.read("/data/breast_cancer.csv").rows());
        assertEquals(31, CsvTable.read("/data/breast_cancer.csv").names().size());
        assertEquals(442, CsvTable.read("/data/diabetes.csv").rows());
        assertEquals(1797, CsvTable.read("/data/digits.csv").rows());
        assertEquals(65, CsvTable.read("/data/digits.csv").names().size());
    }
}
