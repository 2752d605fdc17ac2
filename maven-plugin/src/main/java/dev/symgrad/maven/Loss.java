package dev.symgrad.maven;

/**
 * One {@code <loss>} of the plugin configuration:
 * {@code <loss><method>com.example.Losses#logistic</method><wrt>w,b</wrt><lengths>w=30,x=30</lengths></loss>}.
 */
public class Loss {

    /** {@code fully.qualified.Class#method}: a static double method in the module's sources. */
    private String method;

    /** Comma-separated method parameters to differentiate; default: the first parameter. */
    private String wrt;

    /** The length of every {@code double[]} parameter, comma-separated: {@code w=30,x=30}. */
    private String lengths;

    public String getMethod() {
        return method;
    }

    public void setMethod(String method) {
        this.method = method;
    }

    public String getWrt() {
        return wrt;
    }

    public void setWrt(String wrt) {
        this.wrt = wrt;
    }

    public String getLengths() {
        return lengths;
    }

    public void setLengths(String lengths) {
        this.lengths = lengths;
    }

    /** Also what the up-to-date check fingerprints: every setting counts. */
    @Override
    public String toString() {
        return method + (wrt == null ? "" : " wrt " + wrt) + (lengths == null ? "" : " lengths " + lengths);
    }
}
