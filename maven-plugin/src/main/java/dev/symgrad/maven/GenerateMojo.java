package dev.symgrad.maven;

import dev.symgrad.compiler.BuildTimeClasses;
import dev.symgrad.compiler.diagnostic.CompileError;
import dev.symgrad.runtime.GeneratedLoss;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates, before javac runs, a class of typed static methods (loss, gradient, both batch routes,
 * total loss, {@code equivalentTwoWays}, and the loss as a {@code CompiledLoss}) for loss methods kept
 * as ordinary static Java methods. The class files go to the module's output directory, where javac
 * finds them when it compiles the code that calls them. Nothing is generated again while the sources
 * and the configuration are unchanged.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public class GenerateMojo extends AbstractMojo {

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    private PluginDescriptor plugin;

    /**
     * The loss methods, each {@code <loss><method>pkg.Class#method</method><wrt>w,b</wrt></loss>}, plus
     * {@code <lengths>w=30,x=30</lengths>} giving the length of every {@code double[]} parameter and the
     * shape of every {@code double[][]} ({@code V=32x64}).
     */
    @Parameter(required = true)
    private List<Loss> losses;

    /**
     * Fully qualified name of the generated class; default: the class of the first loss with
     * {@code Gradients} appended ({@code com.example.Losses} gives {@code com.example.LossesGradients}).
     */
    @Parameter(property = "symgrad.className")
    private String className;

    /** Where the class files are written; javac compiles the module against this directory. */
    @Parameter(defaultValue = "${project.build.outputDirectory}", required = true)
    private File outputDirectory;

    /** Where the plugin remembers what it generated from, to skip unchanged work. */
    @Parameter(defaultValue = "${project.build.directory}/symgrad-maven-plugin", required = true)
    private File stateDirectory;

    /** Skips the goal. */
    @Parameter(property = "symgrad.skip", defaultValue = "false")
    private boolean skip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("symgrad: skipped");
            return;
        }
        if (losses == null || losses.isEmpty()) {
            throw new MojoFailureException("symgrad: configure at least one <loss><method>pkg.Class#method</method></loss>");
        }
        List<BuildTimeClasses.Request> requests = new ArrayList<>();
        Map<Path, String> sources = new LinkedHashMap<>();
        for (Loss loss : losses) {
            requests.add(request(loss, sources));
        }
        String facade = className != null && !className.isBlank() ? className.strip() : defaultClassName(losses.get(0));
        String fingerprint = fingerprint(facade, sources);
        Path stateFile = stateDirectory.toPath().resolve(facade + ".sha256");
        Path facadeFile = outputDirectory.toPath().resolve(facade.replace('.', '/') + ".class");
        if (Files.exists(facadeFile) && fingerprint.equals(read(stateFile))) {
            getLog().info("symgrad: " + facade + " is up to date");
            return;
        }
        Map<String, byte[]> classes;
        try {
            classes = BuildTimeClasses.generate(facade, requests,
                    (method, note) -> getLog().warn("symgrad: " + method + ": note: " + note));
        } catch (CompileError error) {
            // One log line per line of the message, so the positioned first line starts a line.
            for (String line : error.getMessage().split("\n")) {
                getLog().error(line);
            }
            throw new MojoFailureException(error.headline());
        } catch (IllegalArgumentException error) {
            throw new MojoFailureException("symgrad: " + error.getMessage());
        }
        try {
            for (Map.Entry<String, byte[]> generated : classes.entrySet()) {
                Path target = outputDirectory.toPath().resolve(generated.getKey() + ".class");
                Files.createDirectories(target.getParent());
                Files.write(target, generated.getValue());
            }
            Files.createDirectories(stateFile.getParent());
            Files.writeString(stateFile, fingerprint);
        } catch (IOException e) {
            throw new MojoExecutionException("symgrad: cannot write generated classes to " + outputDirectory, e);
        }
        getLog().info("symgrad: generated " + facade + " (" + losses.size() + (losses.size() == 1 ? " loss" : " losses")
                + ") in " + outputDirectory);
    }

    private BuildTimeClasses.Request request(Loss loss, Map<Path, String> sources) throws MojoFailureException {
        String method = loss.getMethod() == null ? "" : loss.getMethod().strip();
        int hash = method.indexOf('#');
        if (hash <= 0 || hash == method.length() - 1) {
            throw new MojoFailureException("symgrad: <method> must look like com.example.Losses#logistic, got '" + method + "'");
        }
        String type = method.substring(0, hash);
        Path file = locate(type);
        String text = sources.get(file);
        if (text == null) {
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new MojoFailureException("symgrad: cannot read " + file + ": " + e.getMessage());
            }
            sources.put(file, text);
        }
        List<String> wrt = loss.getWrt() == null || loss.getWrt().isBlank() ? List.of()
                : Arrays.stream(loss.getWrt().split(",")).map(String::strip).toList();
        Map<String, List<Integer>> shapes;
        try {
            shapes = BuildTimeClasses.parseShapes(loss.getLengths());
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("symgrad: <lengths> of " + method + ": " + e.getMessage());
        }
        return new BuildTimeClasses.Request(text, file.toString(), method.substring(hash + 1), wrt, shapes);
    }

    /** The source file of a top-level class, in the module's compile source roots. */
    private Path locate(String type) throws MojoFailureException {
        String relative = type.replace('.', '/') + ".java";
        for (String root : project.getCompileSourceRoots()) {
            Path candidate = Path.of(root).resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new MojoFailureException("symgrad: no source file " + relative + " in " + project.getCompileSourceRoots());
    }

    static String defaultClassName(Loss loss) {
        String method = loss.getMethod().strip();
        return method.substring(0, method.indexOf('#')) + "Gradients";
    }

    /** A digest of everything the output depends on: plugin version, configuration, source texts. */
    private String fingerprint(String facade, Map<Path, String> sources) throws MojoExecutionException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            // A rebuilt SNAPSHOT keeps its version, so the jars that generate the code (this plugin, the
            // compiler, the runtime whose superclass the classes extend) count by size and time too.
            StringBuilder build = new StringBuilder();
            for (Class<?> part : List.of(GenerateMojo.class, BuildTimeClasses.class, GeneratedLoss.class)) {
                java.security.CodeSource code = part.getProtectionDomain().getCodeSource();
                if (code != null && code.getLocation() != null) {
                    File file = new File(code.getLocation().getPath());
                    build.append(file.getName()).append(':').append(file.length()).append('@')
                            .append(file.lastModified()).append(' ');
                }
            }
            digest.update(("symgrad " + plugin.getVersion() + " " + build + "\n" + facade + "\n" + losses + "\n").getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<Path, String> source : sources.entrySet()) {
                digest.update((source.getKey() + "\n").getBytes(StandardCharsets.UTF_8));
                digest.update(source.getValue().getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new MojoExecutionException("SHA-256 is not available", e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
