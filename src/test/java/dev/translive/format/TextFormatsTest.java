package dev.translive.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
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
    DocumentFormat.Extraction extraction = FormatFiles.extracted(new MarkdownFormat(), dir, "guide.md", md);
    // A sentence with inline code or a link is one segment; the markup travels as numbered tags.
    assertEquals(List.of("Install the tool", "Run <x1/> before you start.", "See <g1>the manual</g1> for details.",
        "first item", "quoted text", "Name", "Value", "cats", "many"), extraction.segments());
    String written = FormatFiles.written(extraction, upper(extraction.segments()), dir, "guide.es.md", false);
    assertTrue(written.startsWith("---\ntitle: Guide\n---\n# ES(Install the tool)\n"), written);
    FormatFiles.assertContainsAll(written,
        "ES(Run `make build` before you start.)",
        "ES(See [the manual](https://example.com/manual) for details.)",
        "```bash\necho \"do not translate\"\n```\n",
        "\n    indented code stays\n",
        "- ES(first item)\n> ES(quoted text)\n",
        "|------|-------|\n| ES(cats) | ES(many) |\n");
  }

  @Test
  void plainTextKeepsLayoutLineEndingsAndLegacyEncoding() throws Exception {
    Charset latin = Charset.forName("windows-1252");
    DocumentFormat.Extraction extraction = FormatFiles.extracted(new PlainTextFormat(), dir, "notes.txt",
        "Café au lait.\r\n\r\n  Indented line.\r\nLast".getBytes(latin));
    assertEquals(List.of("Café au lait.", "Indented line.", "Last"), extraction.segments());
    assertEquals("ES(Café au lait.)\r\n\r\n  ES(Indented line.)\r\nES(Last)",
        new String(FormatFiles.writtenBytes(extraction, upper(extraction.segments()), dir, "notes.es.txt"), latin));
  }

  @Test
  void bilingualTextFollowsEachTranslatedParagraphWithTheOriginal() throws Exception {
    DocumentFormat.Extraction extraction = FormatFiles.extracted(new PlainTextFormat(), dir, "b.txt", "One.\n\nTwo.\n");
    assertEquals("ES(One.)\nOne.\n\nES(Two.)\nTwo.\n",
        FormatFiles.written(extraction, upper(extraction.segments()), dir, "b.es.txt", true));
  }

  @Test
  void longParagraphsAreSplitIntoSentences() throws Exception {
    String sentence = "This sentence is long enough to count for something real. ";
    DocumentFormat.Extraction extraction =
        FormatFiles.extracted(new PlainTextFormat(), dir, "long.txt", sentence.repeat(10).strip() + "\n");
    assertEquals(10, extraction.segments().size());
    assertEquals(sentence.repeat(10).strip() + "\n", FormatFiles.written(extraction, extraction.segments(), dir,
        "long.es.txt", false), "identity translation reproduces the file");
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
