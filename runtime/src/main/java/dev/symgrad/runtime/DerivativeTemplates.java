package dev.symgrad.runtime;

import java.util.HashSet;
import java.util.Set;

/**
 * One printed derivative per declared parameter, in which index names stand for the element's position:
 * with index name {@code k0}, {@code w}'s template {@code x[k0] * t} is {@code x[5] * t} for {@code w[5]}.
 * A shaped loss's class holds one template per declaration rather than one string per element, so its
 * size does not grow with the width.
 */
final class DerivativeTemplates {

    private final ElementNames parameters;
    private final String[] templates;
    private final String[][] indexNames;

    /**
     * @param parameters the parameter elements, whose declarations the templates follow
     * @param templates  one printed derivative per declared parameter
     * @param indexNames per declared parameter, one Java identifier per dimension (none for a scalar)
     * @throws IllegalArgumentException if the counts disagree with the declarations, or an index name is
     *                                  not an identifier or repeats within its declaration
     */
    DerivativeTemplates(ElementNames parameters, String[] templates, String[][] indexNames) {
        int declarations = parameters.declarationCount();
        if (templates == null || indexNames == null) {
            throw new IllegalArgumentException("derivative templates and their index names must not be null");
        }
        if (templates.length != declarations || indexNames.length != declarations) {
            throw new IllegalArgumentException(declarations + " declared parameters but " + templates.length
                    + " derivative templates and " + indexNames.length + " lists of index names; one each expected");
        }
        for (int d = 0; d < declarations; d++) {
            String parameter = parameters.declaredName(d);
            if (templates[d] == null) {
                throw new IllegalArgumentException("the derivative template of '" + parameter + "' is null");
            }
            checkIndexNames(parameter, indexNames[d], parameters.rankOf(d));
        }
        this.parameters = parameters;
        this.templates = templates.clone();
        this.indexNames = indexNames.clone();
        for (int d = 0; d < declarations; d++) {
            this.indexNames[d] = indexNames[d].clone();
        }
    }

    private static void checkIndexNames(String parameter, String[] names, int rank) {
        if (names == null || names.length != rank) {
            throw new IllegalArgumentException("the derivative template of '" + parameter + "' needs " + rank
                    + " index names, one per dimension, but has " + (names == null ? "null" : names.length));
        }
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!isIdentifier(name) || !seen.add(name)) {
                throw new IllegalArgumentException("index name '" + name + "' of the derivative template of '"
                        + parameter + "' must be a Java identifier, distinct from the template's other index names");
            }
        }
    }

    private static boolean isIdentifier(String name) {
        if (name == null || name.isEmpty() || !Character.isJavaIdentifierStart(name.codePointAt(0))) {
            return false;
        }
        return name.codePoints().allMatch(Character::isJavaIdentifierPart);
    }

    /** The derivative with respect to parameter element {@code index}: its template, positions filled in. */
    String derivative(int index) {
        int declaration = parameters.declarationOf(index);
        return substitute(templates[declaration], indexNames[declaration], parameters.positionOf(index));
    }

    /**
     * {@code template} with every whole-word occurrence of {@code indexNames[r]} replaced by
     * {@code position[r]}. A word is a maximal run of Java identifier characters, so {@code k1} is replaced
     * in {@code x[k1]} and {@code k1 * t} but not inside {@code k10}, {@code xk1} or {@code k1_}.
     */
    static String substitute(String template, String[] indexNames, int[] position) {
        if (indexNames.length == 0) {
            return template;
        }
        StringBuilder out = new StringBuilder(template.length() + 8);
        int at = 0;
        while (at < template.length()) {
            int end = wordEnd(template, at);
            if (end == at) {
                out.appendCodePoint(template.codePointAt(at));
                at += Character.charCount(template.codePointAt(at));
                continue;
            }
            int r = indexOf(indexNames, template, at, end);
            if (r >= 0) {
                out.append(position[r]);
            } else {
                out.append(template, at, end);
            }
            at = end;
        }
        return out.toString();
    }

    /** The end of the run of identifier characters starting at {@code from}; {@code from} if there is none. */
    private static int wordEnd(String text, int from) {
        int end = from;
        while (end < text.length() && Character.isJavaIdentifierPart(text.codePointAt(end))) {
            end += Character.charCount(text.codePointAt(end));
        }
        return end;
    }

    /** Which of {@code names} is exactly {@code text[from..to)}; -1 if none. */
    private static int indexOf(String[] names, String text, int from, int to) {
        for (int r = 0; r < names.length; r++) {
            if (names[r].length() == to - from && text.startsWith(names[r], from)) {
                return r;
            }
        }
        return -1;
    }
}
