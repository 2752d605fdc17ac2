package dev.symgrad.compiler.hardening;

/** The lane count of the Vector API's preferred {@code double} species, read reflectively (tests compile without the module). */
final class VectorLanes {

    private VectorLanes() {
    }

    static int preferred() {
        try {
            Class<?> doubleVector = Class.forName("jdk.incubator.vector.DoubleVector");
            Object species = doubleVector.getField("SPECIES_PREFERRED").get(null);
            return (Integer) Class.forName("jdk.incubator.vector.VectorSpecies").getMethod("length").invoke(species);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the Vector API is not readable", e);
        }
    }
}
