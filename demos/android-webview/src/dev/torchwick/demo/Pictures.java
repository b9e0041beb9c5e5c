package dev.torchwick.demo;

import android.content.ContentResolver;
import android.content.ContentValues;
import android.content.Context;
import android.media.MediaScannerConnection;
import android.net.Uri;
import android.os.Build;
import android.os.Environment;
import android.provider.MediaStore;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Saves a result image where the user finds it, without asking for a storage permission. */
final class Pictures {
    private Pictures() {}

    /** Returns where it went: a content:// URI (Android 10+) or a file path. */
    static String save(Context context, byte[] bytes, String name) throws IOException {
        String safe = name == null ? "" : name.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.isEmpty() || safe.startsWith(".")) safe = "torchwick.png";
        if (Build.VERSION.SDK_INT >= 29) {
            // MediaStore's shared Pictures/ (scoped storage); "relative_path" is API 29, above our android.jar.
            ContentResolver resolver = context.getContentResolver();
            ContentValues values = new ContentValues();
            values.put(MediaStore.MediaColumns.DISPLAY_NAME, safe);
            values.put(MediaStore.MediaColumns.MIME_TYPE, AssetServer.mimeType(safe));
            values.put("relative_path", Environment.DIRECTORY_PICTURES + "/torchwick");
            Uri uri = resolver.insert(MediaStore.Images.Media.EXTERNAL_CONTENT_URI, values);
            if (uri == null) throw new IOException("MediaStore refused to create " + safe);
            OutputStream out = resolver.openOutputStream(uri);
            if (out == null) throw new IOException("MediaStore gave no stream for " + uri);
            try {
                out.write(bytes);
            } finally {
                out.close();
            }
            return uri.toString();
        }
        // Before Android 10 the shared folders need WRITE_EXTERNAL_STORAGE; the app's own do not.
        File dir = context.getExternalFilesDir(Environment.DIRECTORY_PICTURES);
        if (dir == null) dir = context.getFilesDir();
        if (!dir.isDirectory() && !dir.mkdirs()) throw new IOException("cannot create " + dir);
        File file = new File(dir, safe);
        FileOutputStream out = new FileOutputStream(file);
        try {
            out.write(bytes);
        } finally {
            out.close();
        }
        MediaScannerConnection.scanFile(context, new String[] {file.getPath()}, null, null);
        return file.getPath();
    }
}
