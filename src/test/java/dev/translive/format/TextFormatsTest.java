package dev.translive.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFormatsTest {
  @TempDir Path dir;

  private static List<String> upper(List<String> segments) {
    return segments.stream().map(s -> "ES(" + s + ")").toList();
  }

  @Test
  void markdownCodeBlocksInlineCodeAndLinkTargetsAreLeftUntouched() throws Exception {
    String md = """
        ---
        title: Guide
        ---
        # Install the tool

        Run `make build` before you start.
        See [the manual](https://example.com/manual) for details.

        ```bash
        echo "do not translate"
        ```

            indented code stays
        - first item
        > quoted text

        | Name | Value |
        |------|-------|
        | cats | many |
        """;
    Path source = dir.resolve("guide.md");
    Files.writeString(source, md);
    DocumentFormat.Extraction extraction = new MarkdownFormat().extract(source);
    // A sentence with inline code or a link is one segment; the markup travels as numbered tags.
    assertEquals(List.of("Install the tool", "Run <x1/> before you start.", "See <g1>the manual</g1> for details.",
        "first item", "quoted text", "Name", "Value", "cats", "many"), extraction.segments());
    Path out = dir.resolve("guide.es.md");
    extraction.write(upper(extraction.segments()), out, false);
    String written = Files.readString(out);
    assertTrue(written.startsWith("---\ntitle: Guide\n---\n# ES(Install the tool)\n"), written);
    assertTrue(written.contains("ES(Run `make build` before you start.)"), written);
    assertTrue(written.contains("ES(See [the manual](https://example.com/manual) for details.)"), written);
    assertTrue(written.contains("```bash\necho \"do not translate\"\n```\n"), written);
    assertTrue(written.contains("\n    indented code stays\n"), written);
    assertTrue(written.contains("- ES(first item)\n> ES(quoted text)\n"), written);
    assertTrue(written.contains("|------|-------|\n| ES(cats) | ES(many) |\n"), written);
  }

  @Test
  void plainTextKeepsLayoutLineEndingsAndLegacyEncoding() throws Exception {
    Charset latin = Charset.forName("windows-1252");
    Path source = dir.resolve("notes.txt");
    Files.write(source, "Café au lait.\r\n\r\n  Indented line.\r\nLast".getBytes(latin));
    DocumentFormat.Extraction extraction = new PlainTextFormat().extract(source);
    assertEquals(List.of("Café au lait.", "Indented line.", "Last"), extraction.segments());
    Path out = dir.resolve("notes.es.txt");
    extraction.write(upper(extraction.segments()), out, false);
    assertEquals("ES(Café au lait.)\r\n\r\n  ES(Indented line.)\r\nES(Last)", new String(Files.readAllBytes(out), latin));
  }

  @Test
  void bilingualTextFollowsEachTranslatedParagraphWithTheOriginal() throws Exception {
    Path source = dir.resolve("b.txt");
    Files.writeString(source, "One.\n\nTwo.\n");
    DocumentFormat.Extraction extraction = new PlainTextFormat().extract(source);
    Path out = dir.resolve("b.es.txt");
    extraction.write(upper(extraction.segments()), out, true);
    assertEquals("ES(One.)\nOne.\n\nES(Two.)\nTwo.\n", Files.readString(out));
  }

  @Test
  void longParagraphsAreSplitIntoSentences() throws Exception {
    String sentence = "This sentence is long enough to count for something real. ";
    Path source = dir.resolve("long.txt");
    Files.writeString(source, sentence.repeat(10).strip() + "\n");
    DocumentFormat.Extraction extraction = new PlainTextFormat().extract(source);
    assertEquals(10, extraction.segments().size());
    Path out = dir.resolve("long.es.txt");
    extraction.write(extraction.segments(), out, false);
    assertEquals(sentence.repeat(10).strip() + "\n", Files.readString(out), "identity translation reproduces the file");
  }

  @Test
  void utf8WithBomAndChineseLegacyEncodingAreDetected() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'H', 'i'};
    TextDecoding.Decoded d = TextDecoding.decode(bom);
    assertEquals("Hi", d.text());
    assertEquals(StandardCharsets.UTF_8, d.charset());
    byte[] gbk = "你好，世界。这是一个测试。".getBytes(Charset.forName("GB18030"));
    assertEquals("你好，世界。这是一个测试。", TextDecoding.decode(gbk).text());
  }
}
