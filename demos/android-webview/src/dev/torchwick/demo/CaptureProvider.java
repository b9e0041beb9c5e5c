package dev.torchwick.demo;

import android.content.ContentProvider;
import android.content.ContentValues;
import android.content.Context;
import android.database.Cursor;
import android.net.Uri;
import android.os.ParcelFileDescriptor;

import java.io.File;
import java.io.FileNotFoundException;

/**
 * Hands the camera app one writable file (cache/capture.jpg) through a content:// URI, so
 * ACTION_IMAGE_CAPTURE returns a full-size photo rather than a thumbnail; without a support
 * library there is no FileProvider, and file:// URIs are refused from Android 7 on.
 */
public final class CaptureProvider extends ContentProvider {
    static final Uri URI = Uri.parse("content://dev.torchwick.demo.capture/capture.jpg");

    static File file(Context context) {
        return new File(context.getCacheDir(), "capture.jpg");
    }

    @Override
    public boolean onCreate() {
        return true;
    }

    @Override
    public ParcelFileDescriptor openFile(Uri uri, String mode) throws FileNotFoundException {
        if (!URI.equals(uri)) throw new FileNotFoundException("CaptureProvider serves only " + URI + ", not " + uri);
        return ParcelFileDescriptor.open(file(getContext()), ParcelFileDescriptor.parseMode(mode));
    }

    @Override
    public String getType(Uri uri) {
        return "image/jpeg";
    }

    @Override
    public Cursor query(Uri uri, String[] projection, String selection, String[] args, String sortOrder) {
        return null;
    }

    @Override
    public Uri insert(Uri uri, ContentValues values) {
        return null;
    }

    @Override
    public int delete(Uri uri, String selection, String[] args) {
        return 0;
    }

    @Override
    public int update(Uri uri, ContentValues values, String selection, String[] args) {
        return 0;
    }
}
