package dev.torchwick.demo;

import android.util.Base64;
import android.webkit.JavascriptInterface;

import org.json.JSONException;
import org.json.JSONObject;

/**
 * What the page sees as window.TorchwickAndroid. Photos come back asynchronously as a
 * 'torchwick-photo' event on window (see MainActivity.deliverPhoto); calls arrive on WebView's
 * bridge thread, so UI work is posted to the Activity.
 */
final class PhotoBridge {
    private final MainActivity activity;

    PhotoBridge(MainActivity activity) {
        this.activity = activity;
    }

    /** Opens the gallery / file picker (ACTION_GET_CONTENT, image/*). */
    @JavascriptInterface
    public void pickPhoto() {
        activity.runOnUiThread(new Runnable() {
            @Override
            public void run() {
                activity.pickPhoto();
            }
        });
    }

    /** Opens the camera app (ACTION_IMAGE_CAPTURE). */
    @JavascriptInterface
    public void takePhoto() {
        activity.runOnUiThread(new Runnable() {
            @Override
            public void run() {
                activity.takePhoto();
            }
        });
    }

    /**
     * Saves base64 image bytes (a data: URL's payload, PNG or JPEG by the name's extension).
     * Returns JSON: {"ok":true,"location":...} or {"ok":false,"error":...}.
     */
    @JavascriptInterface
    public String saveImage(String base64, String name) {
        JSONObject result = new JSONObject();
        try {
            try {
                String location = Pictures.save(activity, Base64.decode(base64, Base64.DEFAULT), name);
                result.put("ok", true).put("location", location);
            } catch (Exception e) { // IOException, or IllegalArgumentException for bad base64
                result.put("ok", false).put("error", "saveImage(" + name + "): " + e);
            }
        } catch (JSONException e) {
            throw new IllegalStateException(e); // only for non-finite numbers; we put none
        }
        return result.toString();
    }
}
