package dev.symgrad.compiler.ir;

/**
 * The set of nodes a traversal has visited, by identity: an open-addressing table of the nodes alone.
 * {@code Collections.newSetFromMap(new IdentityHashMap<>())} stores a value beside every key and goes
 * through the map's interface; a profile of W5's compile (10,000 nodes, traversed a few dozen times) put
 * that set's {@code put}, {@code resize} and {@code hash} at a sixth of the compile. This table took W5's
 * compile from 85-90 to 84-88 ms (medians, JDK 17): the hashing and probing are most of what remains.
 */
final class VisitedSet {

    private Object[] table;
    private int size;

    /** A set sized for about {@code expected} nodes, which grows past that. */
    VisitedSet(int expected) {
        int capacity = 16;
        while (capacity < 2 * expected) {
            capacity <<= 1;
        }
        table = new Object[capacity];
    }

    /** Adds {@code node}; true if it was not there. */
    boolean add(Object node) {
        Object[] t = table;
        int mask = t.length - 1;
        int slot = System.identityHashCode(node) & mask;
        while (true) {
            Object present = t[slot];
            if (present == null) {
                t[slot] = node;
                if (2 * ++size > t.length) {
                    grow();
                }
                return true;
            }
            if (present == node) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
    }

    private void grow() {
        Object[] old = table;
        table = new Object[2 * old.length];
        int mask = table.length - 1;
        for (Object node : old) {
            if (node != null) {
                int slot = System.identityHashCode(node) & mask;
                while (table[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                table[slot] = node;
            }
        }
    }
}
