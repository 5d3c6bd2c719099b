package io.mschedule.agent.files;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.EnumSet;
import java.util.Set;

/** Permission bits and owners as orders give them ({@code 0644}, {@code user:group}). */
public final class FileModes {
  private static final PosixFilePermission[] BITS = {
    PosixFilePermission.OTHERS_EXECUTE,
    PosixFilePermission.OTHERS_WRITE,
    PosixFilePermission.OTHERS_READ,
    PosixFilePermission.GROUP_EXECUTE,
    PosixFilePermission.GROUP_WRITE,
    PosixFilePermission.GROUP_READ,
    PosixFilePermission.OWNER_EXECUTE,
    PosixFilePermission.OWNER_WRITE,
    PosixFilePermission.OWNER_READ
  };

  private FileModes() {}

  /** The permissions of an octal mode; the error names the value. */
  public static Set<PosixFilePermission> parse(String mode) {
    if (mode == null || !mode.matches("0?[0-7]{3}")) {
      throw new IllegalArgumentException("mode '" + mode + "' is not octal bits like 0644");
    }
    int bits = Integer.parseInt(mode, 8);
    Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
    for (int i = 0; i < BITS.length; i++) {
      if ((bits & (1 << i)) != 0) {
        out.add(BITS[i]);
      }
    }
    return out;
  }

  /** Sets the owner ({@code USER} or {@code USER:GROUP}) of {@code file}. */
  public static void chown(Path file, String owner) throws IOException {
    String[] parts = owner.split(":", 2);
    FileSystem fs = file.getFileSystem();
    UserPrincipalLookupService lookup = fs.getUserPrincipalLookupService();
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    try {
      if (!parts[0].isEmpty()) {
        view.setOwner(lookup.lookupPrincipalByName(parts[0]));
      }
      if (parts.length == 2 && !parts[1].isEmpty()) {
        GroupPrincipal group = lookup.lookupPrincipalByGroupName(parts[1]);
        view.setGroup(group);
      }
    } catch (UserPrincipalNotFoundException e) {
      throw new IOException("no such user or group '" + e.getName() + "' on this host", e);
    } catch (IOException e) {
      throw new IOException("cannot set the owner to " + owner + ": " + describe(e), e);
    }
  }

  static String describe(Exception e) {
    String m = e.getMessage();
    return e instanceof IOException && m != null ? m : e.toString();
  }
}
