package dev.symgrad.maven;

/**
 * One {@code <loss>} of the plugin configuration:
 * {@code <loss><method>com.example.Losses#logistic</method><wrt>w,b</wrt></loss>}.
 */
public class Loss {

    /** {@code fully.qualified.Class#method}: a static double method in the module's sources. */
    private String method;

    /** Comma-separated method parameters to differentiate; default: the first parameter. */
    private String wrt;

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

    @Override
    public String toString() {
        return method + (wrt == null ? "" : " wrt " + wrt);
    }
}
