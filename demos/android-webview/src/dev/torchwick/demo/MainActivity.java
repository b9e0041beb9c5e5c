package dev.torchwick.demo;

import android.app.Activity;
import android.content.ActivityNotFoundException;
import android.content.Intent;
import android.net.Uri;
import android.os.Bundle;
import android.provider.MediaStore;
import android.util.Base64;
import android.util.Log;
import android.webkit.ConsoleMessage;
import android.webkit.ValueCallback;
import android.webkit.WebChromeClient;
import android.webkit.WebSettings;
import android.webkit.WebView;

import org.json.JSONObject;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The whole app: a WebView on the web demo, served from the APK (AssetServer), with a bridge
 * for photos (PhotoBridge). System WebView pages are not cross-origin isolated, so the engine
 * runs single-threaded there (SIMD still on).
 */
public final class MainActivity extends Activity {
    static final String START_URL = "https://" + AssetServer.HOST + "/index.html";
    private static final String TAG = "torchwick";
    private static final int PICK = 1, CAPTURE = 2, CHOOSER = 3;

    private WebView web;
    private ValueCallback<Uri[]> chooserCallback;

    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        web = new WebView(this);
        WebSettings settings = web.getSettings();
        settings.setJavaScriptEnabled(true);
        settings.setDomStorageEnabled(true);
        settings.setAllowFileAccess(false);
        settings.setAllowContentAccess(false);
        web.setWebViewClient(new AssetServer(getAssets()));
        web.setWebChromeClient(new Chrome());
        web.addJavascriptInterface(new PhotoBridge(this), "TorchwickAndroid");
        setContentView(web);
        if (state == null || web.restoreState(state) == null) web.loadUrl(START_URL);
    }

    @Override
    protected void onSaveInstanceState(Bundle out) {
        super.onSaveInstanceState(out);
        web.saveState(out);
    }

    @Override
    public void onBackPressed() {
        if (web.canGoBack()) web.goBack();
        else super.onBackPressed();
    }

    @Override
    protected void onDestroy() {
        web.destroy();
        super.onDestroy();
    }

    void pickPhoto() {
        Intent intent = new Intent(Intent.ACTION_GET_CONTENT).setType("image/*").addCategory(Intent.CATEGORY_OPENABLE);
        start(intent, PICK);
    }

    void takePhoto() {
        CaptureProvider.file(this).delete();
        Intent intent = new Intent(MediaStore.ACTION_IMAGE_CAPTURE).putExtra(MediaStore.EXTRA_OUTPUT, CaptureProvider.URI);
        intent.addFlags(Intent.FLAG_GRANT_WRITE_URI_PERMISSION | Intent.FLAG_GRANT_READ_URI_PERMISSION);
        start(intent, CAPTURE);
    }

    private boolean start(Intent intent, int request) {
        try {
            startActivityForResult(intent, request);
            return true;
        } catch (ActivityNotFoundException e) {
            if (request != CHOOSER) deliverPhoto(null, null, "no app on this device handles " + intent.getAction());
            return false;
        }
    }

    @Override
    protected void onActivityResult(int request, int result, Intent data) {
        if (request == CHOOSER) {
            if (chooserCallback != null) chooserCallback.onReceiveValue(WebChromeClient.FileChooserParams.parseResult(result, data));
            chooserCallback = null;
        } else if (result != RESULT_OK) {
            deliverPhoto(null, null, "cancelled");
        } else if (request == PICK && data != null && data.getData() != null) {
            readPhoto(data.getData(), getContentResolver().getType(data.getData()));
        } else if (request == CAPTURE) {
            readPhoto(null, "image/jpeg");
        } else {
            deliverPhoto(null, null, "the picker returned no image");
        }
    }

    /** Reads the photo off the UI thread (a camera photo is megabytes), then hands it over. */
    private void readPhoto(final Uri uri, final String mime) {
        new Thread(new Runnable() {
            @Override
            public void run() {
                try {
                    InputStream in = uri == null ? new FileInputStream(CaptureProvider.file(MainActivity.this)) : getContentResolver().openInputStream(uri);
                    if (in == null) throw new IOException("no stream for " + uri);
                    byte[] bytes = readAll(in);
                    if (bytes.length == 0) throw new IOException("the photo is empty");
                    deliverPhoto(Base64.encodeToString(bytes, Base64.NO_WRAP), mime, null);
                } catch (IOException e) {
                    deliverPhoto(null, null, "reading the photo failed: " + e.getMessage());
                }
            }
        }, "torchwick-photo").start();
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) out.write(buf, 0, n);
            return out.toByteArray();
        } finally {
            in.close();
        }
    }

    /** Fires window 'torchwick-photo' with detail {base64, mime} or {error}. */
    private void deliverPhoto(String base64, String mime, String error) {
        final String detail = error != null
            ? "{error:" + JSONObject.quote(error) + "}"
            : "{base64:\"" + base64 + "\",mime:" + JSONObject.quote(mime == null ? "image/jpeg" : mime) + "}";
        web.post(new Runnable() {
            @Override
            public void run() {
                web.evaluateJavascript("window.dispatchEvent(new CustomEvent('torchwick-photo',{detail:" + detail + "}))", null);
            }
        });
    }

    /** <input type="file"> in the page opens the system picker too. */
    private final class Chrome extends WebChromeClient {
        @Override
        public boolean onShowFileChooser(WebView view, ValueCallback<Uri[]> callback, FileChooserParams params) {
            if (chooserCallback != null) chooserCallback.onReceiveValue(null);
            chooserCallback = callback;
            if (start(params.createIntent(), CHOOSER)) return true;
            chooserCallback = null;
            return false;
        }

        @Override
        public boolean onConsoleMessage(ConsoleMessage m) {
            Log.i(TAG, m.sourceId() + ":" + m.lineNumber() + ": " + m.message());
            return true;
        }
    }
}
