package io.mschedule.cli;

import io.mschedule.cli.client.MasterClient;
import io.mschedule.cli.client.StoredFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Puts a local file on the master: hashes it (streaming), and uploads it only when the master does
 * not have that content yet. Nothing is read into memory whole.
 */
final class FileUploads {
  private FileUploads() {}

  /** The file on the master; progress and errors name the local file. */
  static StoredFile upload(MasterClient client, Path file, PrintWriter err) {
    if (!Files.isRegularFile(file)) {
      throw new CliException("no such file: " + file);
    }
    if (!Files.isReadable(file)) {
      throw new CliException("cannot read " + file + ": permission denied");
    }
    String name = file.getFileName().toString();
    String sha = sha256(file);
    var stored = client.storedFile(sha);
    if (stored.isPresent()) {
      return new StoredFile(sha, name, stored.get().size());
    }
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage());
    }
    err.println("uploading " + file + " (" + size + " bytes)");
    err.flush();
    StoredFile up = client.upload(file, name);
    if (!up.sha256().equals(sha)) {
      throw new CliException(
          file + " changed while it was uploaded (SHA-256 " + sha + ", then " + up.sha256() + ")");
    }
    return up;
  }

  static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
