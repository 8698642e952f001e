package dev.translive.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlFormatTest {

  @TempDir Path dir;
  private final HtmlFormat format = new HtmlFormat();

  private static final String PAGE =
      "<!DOCTYPE html>\n<html><head><title>My page</title>\n"
          + "<style>p { color: red; }</style>\n"
          + "<script>var greeting = \"Hello\";</script></head>\n"
          + "<body>\n"
          + "  <h1 id=\"top\">Welcome</h1>\n"
          + "  <p>Hello <b>bold\n   world</b>!</p>\n"
          + "  <img src=\"a.png\" alt=\"A cat\" title=\"Cute\">\n"
          + "  <pre>  keep   this  </pre><code>x = 1</code>\n"
          + "  <p translate=\"no\">Brand</p>\n"
          + "  <ul><li>One</li><li>Two</li></ul>\n"
          + "  <table><tr><td>Cell</td></tr></table>\n"
          + "  <textarea>typed</textarea>&nbsp;\n"
          + "</body></html>\n";

  private Path page() throws Exception {
    Path file = dir.resolve("page.html");
    Files.writeString(file, PAGE);
    return file;
  }

  private static List<String> prefixed(List<String> segments) {
    return segments.stream().map(s -> "ES:" + s).toList();
  }

  @Test
  void extractsTextNodesAndAltTitleInOrder() throws Exception {
    assertEquals(
        // A sentence with inline elements is one segment, its markup carried as tags.
        List.of("My page", "Welcome", "Hello <g1>bold world</g1>!", "A cat", "Cute", "One", "Two", "Cell"),
        format.extract(page()).segments());
  }

  @Test
  void writesTranslationKeepingCodeScriptsAndWhitespace() throws Exception {
    var extraction = format.extract(page());
    Path target = dir.resolve("out.html");
    extraction.write(prefixed(extraction.segments()), target, false);
    String html = Files.readString(target);
    assertTrue(html.contains("<title>ES:My page</title>"), html);
    assertTrue(html.contains("<style>p { color: red; }</style>"), html);
    assertTrue(html.contains("<script>var greeting = \"Hello\";</script>"), html);
    assertTrue(html.contains("<p>ES:Hello <b>bold world</b>!</p>"), html);
    assertTrue(html.contains("<pre>  keep   this  </pre><code>x = 1</code>"), html);
    assertTrue(html.contains("<p translate=\"no\">Brand</p>"), html);
    assertTrue(html.contains("<textarea>typed</textarea>"), html);
    Document out = Jsoup.parse(html);
    assertEquals("ES:A cat", out.selectFirst("img").attr("alt"));
    assertEquals("ES:Cute", out.selectFirst("img").attr("title"));
    assertEquals("a.png", out.selectFirst("img").attr("src"));
    assertEquals(2, out.select("li").size());
    assertEquals("ES:Cell", out.selectFirst("td").text());
    assertEquals(0, out.select("." + HtmlFormat.ORIGINAL_CLASS).size());
  }

  @Test
  void bilingualAddsOriginalsNextToEachBlock() throws Exception {
    var extraction = format.extract(page());
    Path target = dir.resolve("bilingual.html");
    extraction.write(prefixed(extraction.segments()), target, true);
    String html = Files.readString(target);
    assertTrue(
        html.contains(
            "<p>ES:Hello <b>bold world</b>!</p><p class=\"translive-original\">Hello <b>bold\n   world</b>!</p>"),
        html);
    assertTrue(html.contains("<h1 id=\"top\">ES:Welcome</h1><h1 class=\"translive-original\">Welcome</h1>"), html);
    assertTrue(html.contains("<li>ES:One<div class=\"translive-original\">One</div></li>"), html);
    assertTrue(html.contains("<td>ES:Cell<div class=\"translive-original\">Cell</div></td>"), html);
    Document out = Jsoup.parse(html);
    assertEquals(2, out.select("li").size());
    assertEquals(1, out.select("td").size());
    assertEquals("ES:My page", out.title());
  }

  @Test
  void keepsTheDocumentCharset() throws Exception {
    Path file = dir.resolve("latin.htm");
    Files.write(
        file,
        "<html><head><meta charset=\"ISO-8859-1\"></head><body><p>Café</p></body></html>"
            .getBytes(StandardCharsets.ISO_8859_1));
    var extraction = format.extract(file);
    assertEquals(List.of("Café"), extraction.segments());
    Path target = dir.resolve("out.htm");
    extraction.write(List.of("Kaffee – süß"), target, false);
    String out = new String(Files.readAllBytes(target), StandardCharsets.ISO_8859_1);
    assertTrue(out.contains("<meta charset=\"ISO-8859-1\">"), out);
    // ü fits in Latin-1 as one byte; the en dash does not and becomes an entity.
    assertTrue(out.contains("<p>Kaffee &#x2013; süß</p>") || out.contains("<p>Kaffee &ndash; süß</p>"), out);
  }

  @Test
  void matchesContent() {
    assertTrue(format.matchesContent("<!doctype html><p>x".getBytes(StandardCharsets.UTF_8)));
    assertFalse(format.matchesContent("%PDF-1.7\n%\u00e2\u00e3".getBytes(StandardCharsets.ISO_8859_1)));
    assertFalse(format.matchesContent(new byte[] {'<', 'h', 0, 0}));
    assertFalse(format.matchesContent("plain words only".getBytes(StandardCharsets.UTF_8)));
  }
}
