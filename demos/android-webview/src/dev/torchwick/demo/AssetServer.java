package dev.torchwick.demo;

import android.content.res.AssetManager;
import android.net.Uri;
import android.webkit.WebResourceRequest;
import android.webkit.WebResourceResponse;
import android.webkit.WebView;
import android.webkit.WebViewClient;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Serves the APK's assets/www/ at https://appassets.androidplatform.net/ (a host reserved for
 * this, so nothing goes to the network). A real https origin, unlike file://, lets the page use
 * ES modules, fetch() and WebAssembly.instantiateStreaming, which needs application/wasm.
 */
final class AssetServer extends WebViewClient {
    static final String HOST = "appassets.androidplatform.net";
    static final String ROOT = "www";

    private static final Map<String, String> MIME = new HashMap<String, String>();
    static {
        MIME.put("html", "text/html");
        MIME.put("js", "text/javascript");
        MIME.put("mjs", "text/javascript");
        MIME.put("css", "text/css");
        MIME.put("json", "application/json");
        MIME.put("map", "application/json");
        MIME.put("txt", "text/plain");
        MIME.put("md", "text/markdown");
        MIME.put("svg", "image/svg+xml");
        MIME.put("wasm", "application/wasm");
        MIME.put("pt", "application/octet-stream");
        MIME.put("npy", "application/octet-stream");
        MIME.put("png", "image/png");
        MIME.put("jpg", "image/jpeg");
        MIME.put("jpeg", "image/jpeg");
        MIME.put("webp", "image/webp");
        MIME.put("ico", "image/x-icon");
        MIME.put("woff2", "font/woff2");
    }

    private final AssetManager assets;

    AssetServer(AssetManager assets) {
        this.assets = assets;
    }

    static String mimeType(String path) {
        int dot = path.lastIndexOf('.');
        String type = dot < 0 ? null : MIME.get(path.substring(dot + 1).toLowerCase());
        return type != null ? type : "application/octet-stream";
    }

    @Override
    public WebResourceResponse shouldInterceptRequest(WebView view, WebResourceRequest request) {
        Uri url = request.getUrl();
        if (!HOST.equals(url.getHost())) return null;
        String path = url.getPath() == null ? "/" : url.getPath();
        if (path.endsWith("/")) path += "index.html";
        String type = mimeType(path);
        Map<String, String> headers = new HashMap<String, String>();
        headers.put("Cache-Control", "no-cache");
        try {
            InputStream body = assets.open(ROOT + path);
            return new WebResourceResponse(type, type.startsWith("text/") ? "utf-8" : null, 200, "OK", headers, body);
        } catch (IOException e) {
            byte[] msg = ("no asset " + ROOT + path + " in the APK").getBytes();
            return new WebResourceResponse("text/plain", "utf-8", 404, "Not Found", headers, new ByteArrayInputStream(msg));
        }
    }

    // The String overload: the WebResourceRequest one is API 24, and by default calls this one.
    @Override
    public boolean shouldOverrideUrlLoading(WebView view, String url) {
        // The demo's own pages stay in the WebView; anything else is not ours to open.
        return !HOST.equals(Uri.parse(url).getHost());
    }
}
