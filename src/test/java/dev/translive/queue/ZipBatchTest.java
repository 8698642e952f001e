package dev.translive.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.bus.TransliveException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening an uploaded .zip: folders kept, unsupported and unsafe entries listed, every bound enforced. */
class ZipBatchTest {
  private static final ZipBatch.Limits LIMITS = new ZipBatch.Limits(10, 4 << 20, 3 << 20, 100);
  @TempDir Path dir;

  private Path zip(Map<String, byte[]> entries) throws IOException {
    Path zip = Files.createTempFile(dir, "upload", ".zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        out.putNextEntry(new ZipEntry(e.getKey()));
        out.write(e.getValue());
        out.closeEntry();
      }
    }
    return zip;
  }

  private ZipBatch.Expanded expand(Path zip, ZipBatch.Limits limits) throws IOException {
    Path into = Files.createTempDirectory(dir, "into");
    return ZipBatch.expand(zip, into, limits, name -> name.endsWith(".txt") || name.endsWith(".md"));
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void supportedEntriesKeepTheirFoldersAndTheRestIsListed() throws IOException {
    Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
    entries.put("docs/a.txt", text("Hello.\n"));
    entries.put("docs/sub/b.md", text("# Title\n"));
    entries.put("picture.png", new byte[] {1, 2, 3});
    entries.put("../escape.txt", text("out\n"));
    entries.put("/etc/absolute.txt", text("abs\n"));
    entries.put("C:/windows.txt", text("abs\n"));
    ZipBatch.Expanded expanded = expand(zip(entries), LIMITS);
    assertEquals(List.of("docs/a.txt", "docs/sub/b.md"), expanded.entries().stream().map(ZipBatch.Entry::path).toList());
    assertEquals("Hello.\n", Files.readString(expanded.entries().get(0).file()));
    assertTrue(expanded.entries().stream().noneMatch(e -> e.file().toString().contains("docs")),
        "nothing is written under an entry's own name");
    assertEquals(List.of(new ZipBatch.Skipped("picture.png", "unsupported format"),
        new ZipBatch.Skipped("../escape.txt", "path leaves the zip's folder (..)"),
        new ZipBatch.Skipped("/etc/absolute.txt", "absolute path"),
        new ZipBatch.Skipped("C:/windows.txt", "absolute path")), expanded.skipped());
    assertTrue(Files.notExists(dir.resolve("escape.txt")) && Files.notExists(dir.getParent().resolve("escape.txt")));
  }

  @Test
  void tooManyEntriesAreRefusedBeforeAnyIsWritten() throws IOException {
    Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 11; i++) {
      entries.put("f" + i + ".txt", text("x\n"));
    }
    TransliveException e = assertThrows(TransliveException.class, () -> expand(zip(entries), LIMITS));
    assertEquals(400, e.code().status());
    assertTrue(e.getMessage().contains("11 entries; the limit is 10"), e.getMessage());
  }

  @Test
  void aZipBombIsRefusedByItsRatioWhileBeingWritten() throws IOException {
    byte[] zeros = new byte[2 << 20]; // 2 MB of zeros compress about a thousandfold
    TransliveException e = assertThrows(TransliveException.class, () -> expand(zip(Map.of("bomb.txt", zeros)), LIMITS));
    assertEquals(422, e.code().status());
    assertTrue(e.getMessage().contains("zip bomb"), e.getMessage());
  }

  @Test
  void theTotalAndEachEntryAreBoundedByWhatIsWrittenNotWhatIsDeclared() throws IOException {
    java.util.Random random = new java.util.Random(7);
    byte[] noise = new byte[1 << 20];
    random.nextBytes(noise);
    Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 5; i++) {
      byte[] copy = noise.clone();
      copy[0] = (byte) i;
      entries.put("part" + i + ".txt", copy);
    }
    TransliveException total = assertThrows(TransliveException.class, () -> expand(zip(entries), LIMITS));
    assertEquals(413, total.code().status());
    assertTrue(total.getMessage().contains("expands to more than 4 MB"), total.getMessage());

    byte[] big = new byte[(3 << 20) + 1];
    random.nextBytes(big);
    TransliveException one = assertThrows(TransliveException.class, () -> expand(zip(Map.of("big.txt", big)), LIMITS));
    assertEquals(413, one.code().status());
  }

  @Test
  void somethingThatIsNotAZipIsUnreadable() throws IOException {
    Path notZip = dir.resolve("fake.zip");
    try (OutputStream out = Files.newOutputStream(notZip)) {
      out.write(text("just text, named .zip"));
    }
    assertEquals(422, assertThrows(TransliveException.class, () -> expand(notZip, LIMITS)).code().status());
  }
}
