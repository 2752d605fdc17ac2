/**
 * The run-time API of symgrad: {@link dev.symgrad.runtime.CompiledLoss} and the superclass of generated
 * classes. This package has no dependencies beyond {@code java.base}, so applications that only run
 * build-time generated losses ship nothing else.
 */
package dev.symgrad.runtime;
