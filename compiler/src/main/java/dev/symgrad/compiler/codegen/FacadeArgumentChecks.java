package dev.symgrad.compiler.codegen;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The private static helpers of the facade from {@link FacadeGenerator} that check an array argument
 * against its configured shape, throwing {@code IllegalArgumentException} with a message naming it
 * ({@code "w has length 29, expected 30"}, {@code "V[3] has length 63, expected 64"}), and copy a matrix
 * row by row into the loss's flat arrays. Emitted once per facade and called once per argument, they
 * keep the facade's methods the same size whatever the shapes of the arrays.
 */
final class FacadeArgumentChecks {

    /** {@code double[] checkedVector(double[] vector, int length, String name)}: the vector, checked. */
    static final String CHECKED_VECTOR = "checkedVector";
    static final String CHECKED_VECTOR_DESCRIPTOR = "([DILjava/lang/String;)[D";
    /** {@code double[][] checkedColumns(double[][] columns, int count, String name)}: the columns, counted. */
    static final String CHECKED_COLUMNS = "checkedColumns";
    static final String CHECKED_COLUMNS_DESCRIPTOR = "([[DILjava/lang/String;)[[D";
    /**
     * {@code void copyMatrix(double[] target, int offset, double[][] matrix, int rows, int columns, String name)}:
     * checks the matrix and copies it row-major to {@code target[offset ...]}.
     */
    static final String COPY_MATRIX = "copyMatrix";
    static final String COPY_MATRIX_DESCRIPTOR = "([DI[[DIILjava/lang/String;)V";
    /**
     * {@code void copyColumnMatrix(double[][] target, int offset, double[][][] matrix, int rows, int columns,
     * String name)}: as {@code copyMatrix} for a matrix input in a batch, whose elements are columns.
     */
    static final String COPY_COLUMN_MATRIX = "copyColumnMatrix";
    static final String COPY_COLUMN_MATRIX_DESCRIPTOR = "([[DI[[[DIILjava/lang/String;)V";

    private static final String EXCEPTION = "java/lang/IllegalArgumentException";
    private static final String BUILDER = "java/lang/StringBuilder";

    private FacadeArgumentChecks() {
    }

    /** {@code checkedVector} and {@code checkedColumns}, for the facade's {@code double[]} arguments. */
    static void emitVectorChecks(ClassWriter writer) {
        emitLengthCheck(writer, CHECKED_VECTOR, CHECKED_VECTOR_DESCRIPTOR, " has length ", ", expected ");
        emitLengthCheck(writer, CHECKED_COLUMNS, CHECKED_COLUMNS_DESCRIPTOR, " has ", " columns, expected ");
    }

    /** {@code copyMatrix} and {@code copyColumnMatrix}, for the facade's {@code double[][]} arguments. */
    static void emitMatrixCopies(ClassWriter writer) {
        emitMatrixCopy(writer, COPY_MATRIX, COPY_MATRIX_DESCRIPTOR, " has length ", ", expected ");
        emitMatrixCopy(writer, COPY_COLUMN_MATRIX, COPY_COLUMN_MATRIX_DESCRIPTOR, " has ", " columns, expected ");
    }

    /**
     * {@code private static T name(T array, int length, String argument)}: returns the array if it has
     * the configured length, else throws naming the argument: {@code "w is null"},
     * {@code "w" + before + 29 + after + 30}.
     */
    private static void emitLengthCheck(ClassWriter writer, String name, String descriptor, String before,
                                        String after) {
        final int array = 0;
        final int length = 1;
        final int argument = 2;
        MethodVisitor mv = writer.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC, name, descriptor, null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, array);
        emitThrowUnless(mv, Opcodes.IFNONNULL, stringAt(argument), text(" is null"));
        mv.visitVarInsn(Opcodes.ALOAD, array);
        mv.visitInsn(Opcodes.ARRAYLENGTH);
        mv.visitVarInsn(Opcodes.ILOAD, length);
        emitThrowUnless(mv, Opcodes.IF_ICMPEQ, stringAt(argument), text(before), lengthOf(array), text(after),
                intAt(length));
        mv.visitVarInsn(Opcodes.ALOAD, array);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /**
     * {@code private static void name(T[] target, int offset, T[][] matrix, int rows, int columns, String argument)}:
     * checks that the matrix has {@code rows} rows of {@code columns} elements each, else throws naming
     * the argument or the row ({@code "V is null"}, {@code "V has 31 rows, expected 32"}, {@code "V[3] is null"},
     * {@code "V[3]" + before + 63 + after + 64}), copying each row to {@code target[offset + m * columns ...]}
     * as soon as it is checked.
     */
    private static void emitMatrixCopy(ClassWriter writer, String name, String descriptor, String before,
                                       String after) {
        final int target = 0;
        final int offset = 1;
        final int matrix = 2;
        final int rows = 3;
        final int columns = 4;
        final int argument = 5;
        final int m = 6;
        final int row = 7;
        MethodVisitor mv = writer.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC, name, descriptor, null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, matrix);
        emitThrowUnless(mv, Opcodes.IFNONNULL, stringAt(argument), text(" is null"));
        mv.visitVarInsn(Opcodes.ALOAD, matrix);
        mv.visitInsn(Opcodes.ARRAYLENGTH);
        mv.visitVarInsn(Opcodes.ILOAD, rows);
        emitThrowUnless(mv, Opcodes.IF_ICMPEQ, stringAt(argument), text(" has "), lengthOf(matrix),
                text(" rows, expected "), intAt(rows));

        Label loop = new Label();
        Label done = new Label();
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitVarInsn(Opcodes.ISTORE, m);
        mv.visitLabel(loop);
        mv.visitVarInsn(Opcodes.ILOAD, m);
        mv.visitVarInsn(Opcodes.ILOAD, rows);
        mv.visitJumpInsn(Opcodes.IF_ICMPGE, done);
        mv.visitVarInsn(Opcodes.ALOAD, matrix);
        mv.visitVarInsn(Opcodes.ILOAD, m);
        mv.visitInsn(Opcodes.AALOAD);
        mv.visitVarInsn(Opcodes.ASTORE, row);
        mv.visitVarInsn(Opcodes.ALOAD, row);
        emitThrowUnless(mv, Opcodes.IFNONNULL, stringAt(argument), text("["), intAt(m), text("] is null"));
        mv.visitVarInsn(Opcodes.ALOAD, row);
        mv.visitInsn(Opcodes.ARRAYLENGTH);
        mv.visitVarInsn(Opcodes.ILOAD, columns);
        emitThrowUnless(mv, Opcodes.IF_ICMPEQ, stringAt(argument), text("["), intAt(m), text("]" + before),
                lengthOf(row), text(after), intAt(columns));
        // System.arraycopy(row, 0, target, offset + m * columns, columns)
        mv.visitVarInsn(Opcodes.ALOAD, row);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitVarInsn(Opcodes.ALOAD, target);
        mv.visitVarInsn(Opcodes.ILOAD, offset);
        mv.visitVarInsn(Opcodes.ILOAD, m);
        mv.visitVarInsn(Opcodes.ILOAD, columns);
        mv.visitInsn(Opcodes.IMUL);
        mv.visitInsn(Opcodes.IADD);
        mv.visitVarInsn(Opcodes.ILOAD, columns);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/System", "arraycopy",
                "(Ljava/lang/Object;ILjava/lang/Object;II)V", false);
        mv.visitIincInsn(m, 1);
        mv.visitJumpInsn(Opcodes.GOTO, loop);
        mv.visitLabel(done);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** A piece of an exception message, appended to the {@code StringBuilder} on top of the stack. */
    private interface Piece {
        void append(MethodVisitor mv);
    }

    private static Piece text(String text) {
        return mv -> {
            mv.visitLdcInsn(text);
            appendString(mv);
        };
    }

    private static Piece stringAt(int slot) {
        return mv -> {
            mv.visitVarInsn(Opcodes.ALOAD, slot);
            appendString(mv);
        };
    }

    private static Piece intAt(int slot) {
        return mv -> {
            mv.visitVarInsn(Opcodes.ILOAD, slot);
            appendInt(mv);
        };
    }

    private static Piece lengthOf(int arraySlot) {
        return mv -> {
            mv.visitVarInsn(Opcodes.ALOAD, arraySlot);
            mv.visitInsn(Opcodes.ARRAYLENGTH);
            appendInt(mv);
        };
    }

    private static void appendString(MethodVisitor mv) {
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, BUILDER, "append", "(Ljava/lang/String;)Ljava/lang/StringBuilder;",
                false);
    }

    private static void appendInt(MethodVisitor mv) {
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, BUILDER, "append", "(I)Ljava/lang/StringBuilder;", false);
    }

    /**
     * Consumes the operands of {@code jumpOpcode} on the stack; where the jump is not taken, throws
     * {@code IllegalArgumentException} with the pieces as its message.
     */
    private static void emitThrowUnless(MethodVisitor mv, int jumpOpcode, Piece... message) {
        Label fine = new Label();
        mv.visitJumpInsn(jumpOpcode, fine);
        mv.visitTypeInsn(Opcodes.NEW, EXCEPTION);
        mv.visitInsn(Opcodes.DUP);
        mv.visitTypeInsn(Opcodes.NEW, BUILDER);
        mv.visitInsn(Opcodes.DUP);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, BUILDER, "<init>", "()V", false);
        for (Piece piece : message) {
            piece.append(mv);
        }
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, BUILDER, "toString", "()Ljava/lang/String;", false);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, EXCEPTION, "<init>", "(Ljava/lang/String;)V", false);
        mv.visitInsn(Opcodes.ATHROW);
        mv.visitLabel(fine);
    }
}
