package dev.translive.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.TextNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Documents made by other tools (pandoc, python-docx, openpyxl), generated at test time, go through
 * the real service with the demo engine, which marks every translation with "[es]". Every text a
 * reader of the result sees must carry the mark, code must stay as it was, and everything else in
 * the file (styles, tables, timings, formulas, numbers, images) must be unchanged.
 */
class OtherToolsCorpusTest {
  private static final String MARK = "[es]";
  @TempDir static Path corpus;
  @TempDir static Path dataDir;
  private static Vertx vertx;
  private static TestServer server;

  @BeforeAll
  static void makeCorpusAndStartService() throws Exception {
    for (String resource : List.of("source.md", "make_docx.py", "make_xlsx.py")) {
      try (InputStream in = OtherToolsCorpusTest.class.getResourceAsStream("/corpus/" + resource)) {
        Files.write(corpus.resolve(resource), in.readAllBytes());
      }
    }
    BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.GREEN);
    g.fillRect(5, 5, 30, 20);
    g.dispose();
    ImageIO.write(image, "png", corpus.resolve("garden.png").toFile());
    for (String ext : List.of("docx", "pptx", "html", "epub")) {
      run("pandoc", "-s", "source.md", "-M", "lang=en", "-o", "pandoc." + ext);
    }
    run("/usr/bin/python3", "make_docx.py", "python-docx.docx");
    run("/usr/bin/python3", "make_xlsx.py", "openpyxl.xlsx");
    vertx = Vertx.vertx();
    server = TestServer.start(vertx, dataDir, Map.of("engines.demo.delayMs", 0)).await(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    ServiceRoundTrip.stop(server, vertx);
  }

  /** Runs a generator in the corpus directory; the tools come from scripts/install-deps.sh test. */
  static void run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(corpus.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), String.join(" ", command) + " failed (run scripts/install-deps.sh test): " + output);
  }

  static byte[] translated(String name) throws Exception {
    return ServiceRoundTrip.translate(server, name, Files.readAllBytes(corpus.resolve(name)), Map.of()).body().getBytes();
  }

  @ParameterizedTest
  @ValueSource(strings = {"pandoc.docx", "pandoc.pptx", "python-docx.docx", "openpyxl.xlsx"})
  void everyVisibleOfficeTextIsTranslatedAndNothingElseChanges(String name) throws Exception {
    byte[] source = Files.readAllBytes(corpus.resolve(name));
    byte[] result = translated(name);

    List<OoxmlVisibleText.Unit> before = OoxmlVisibleText.units(source);
    List<OoxmlVisibleText.Unit> after = OoxmlVisibleText.units(result);
    assertEquals(before.size(), after.size(), "the same paragraphs, cells and comments");
    assertTrue(before.stream().filter(OoxmlVisibleText.Unit::hasLetters).count() >= 3, "the corpus file has text: " + before);
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < before.size(); i++) {
      OoxmlVisibleText.Unit was = before.get(i);
      OoxmlVisibleText.Unit is = after.get(i);
      if (was.code() && !is.text().equals(was.text())) {
        wrong.add("code changed in " + is.part() + ": '" + was.text() + "' -> '" + is.text() + "'");
      } else if (!was.code() && was.hasLetters() && !is.text().contains(MARK)) {
        wrong.add("left untranslated in " + is.part() + ": '" + is.text() + "'");
      }
    }
    assertEquals(List.of(), wrong);

    var skeletonBefore = OoxmlVisibleText.skeletons(source);
    var skeletonAfter = OoxmlVisibleText.skeletons(result);
    for (String part : skeletonBefore.keySet()) {
      // POI drops relationship parts that relate nothing.
      assertTrue(skeletonAfter.containsKey(part) || part.endsWith(".rels") && !skeletonBefore.get(part).contains(":Relationship{"),
          "part lost: " + part);
    }
    skeletonBefore.keySet().retainAll(skeletonAfter.keySet());
    if (!skeletonBefore.containsKey("xl/sharedStrings.xml")) {
      skeletonAfter.replaceAll((k, v) -> v.replaceAll("(?m)^.*sharedStrings.*$", "").replaceAll("\n+", "\n").strip());
      skeletonBefore.replaceAll((k, v) -> v.strip());
    }
    for (String added : skeletonAfter.keySet()) {
      // POI adds an empty shared-string table to workbooks that had none.
      assertTrue(skeletonBefore.containsKey(added) || added.equals("xl/sharedStrings.xml") && !skeletonAfter.get(added).contains(":si{"),
          "unexpected new part " + added);
    }
    skeletonBefore.replaceAll(OtherToolsCorpusTest::withoutEquivalences);
    skeletonAfter.replaceAll(OtherToolsCorpusTest::withoutEquivalences);
    for (String part : skeletonBefore.keySet()) {
      assertEquals(skeletonBefore.get(part), skeletonAfter.get(part), "everything but the text stays in " + part);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"pandoc.html"})
  void everyVisibleHtmlTextIsTranslatedAndTheMarkupKept(String name) throws Exception {
    Document before = Jsoup.parse(Files.readString(corpus.resolve(name)));
    Document after = Jsoup.parse(new String(translated(name), StandardCharsets.UTF_8));
    assertEquals(tags(before), tags(after), "the same elements in the same order");
    List<TextNode> was = textNodes(before);
    List<TextNode> is = textNodes(after);
    assertEquals(was.size(), is.size());
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < was.size(); i++) {
      Element parent = is.get(i).parentElement();
      boolean code = isCodeElement(parent) || parent.parents().stream().anyMatch(OtherToolsCorpusTest::isCodeElement);
      String text = is.get(i).getWholeText();
      if (code && !text.equals(was.get(i).getWholeText())) {
        wrong.add("code changed: " + text);
      } else if (!code && text.codePoints().anyMatch(Character::isLetter) && !sentenceOf(is.get(i)).contains(MARK)) {
        wrong.add("left untranslated: '" + text + "'");
      }
    }
    assertEquals(List.of(), wrong);
    for (String attribute : List.of("alt", "title")) {
      for (Element e : after.select("body [" + attribute + "]")) {
        assertTrue(e.attr(attribute).contains(MARK), attribute + " of " + e.tagName() + ": " + e.attr(attribute));
      }
    }
  }

  /**
   * What POI writes differently but means the same: an empty list of defined names dropped (the
   * names themselves are still compared), the default cell style written out (s="0"), a one-cell
   * range A1:A1 written as A1.
   */
  private static String withoutEquivalences(String part, String skeleton) {
    return skeleton.replaceAll("(?m)^.*:definedNames\\{}>\n", "").replace("null:s=0, ", "").replace(", null:s=0}", "}")
        .replace("{null:s=0}", "{}").replaceAll("ref=([A-Z]+\\d+):\\1([,}])", "ref=$1$2").strip();
  }

  private static final java.util.Set<String> SENTENCE_BLOCKS = java.util.Set.of("p", "li", "h1", "h2", "h3", "h4", "h5",
      "h6", "td", "th", "dt", "dd", "figcaption", "caption", "blockquote", "div", "section", "title", "body", "aside");

  /** The text of the sentence a text node belongs to: its nearest block element's (one segment). */
  private static String sentenceOf(TextNode node) {
    for (Element e = node.parentElement(); e != null; e = e.parent()) {
      if (SENTENCE_BLOCKS.contains(e.normalName())) {
        return e.text();
      }
    }
    return node.getWholeText();
  }

  private static boolean isCodeElement(Element e) {
    return (e.nameIs("code") || e.nameIs("pre") || e.nameIs("style") || e.nameIs("script"));
  }

  /** A book: chapters, navigation and title translated, everything else byte for byte, still valid for epubcheck. */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void epubChaptersNavigationAndTitleAreTranslatedAndTheBookStaysValid(boolean bilingual) throws Exception {
    byte[] source = Files.readAllBytes(corpus.resolve("pandoc.epub"));
    byte[] result = ServiceRoundTrip.translate(server, "pandoc.epub", source, bilingual ? Map.of("bilingual", "true") : Map.of())
        .body().getBytes();
    Path out = corpus.resolve("translated-" + bilingual + ".epub");
    Files.write(out, result);
    Process check = new ProcessBuilder("java", "-jar", "/usr/bin/epubcheck", out.toString()).redirectErrorStream(true).start();
    String report = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, check.waitFor(), "epubcheck (scripts/install-deps.sh test installs it): " + report);

    Map<String, byte[]> before = OoxmlVisibleText.entries(source);
    Map<String, byte[]> after = OoxmlVisibleText.entries(result);
    assertEquals(before.keySet(), after.keySet(), "the same entries");
    List<String> wrong = new ArrayList<>();
    for (String name : before.keySet()) {
      if (name.endsWith(".xhtml")) {
        Document chapter = Jsoup.parse(new String(after.get(name), StandardCharsets.UTF_8), "", org.jsoup.parser.Parser.xmlParser());
        for (TextNode text : textNodes(chapter)) {
          Element parent = text.parentElement();
          boolean code = isCodeElement(parent) || parent.parents().stream().anyMatch(OtherToolsCorpusTest::isCodeElement);
          boolean original = parent.closest("." + HtmlFormat.ORIGINAL_CLASS) != null;
          if (!code && !original && text.text().codePoints().anyMatch(Character::isLetter) && !sentenceOf(text).contains(MARK)) {
            wrong.add(name + ": '" + text.text() + "'");
          }
        }
        assertTrue(chapter.select("code").eachText().stream().noneMatch(c -> c.contains(MARK)), "code kept in " + name);
      } else if (name.endsWith(".ncx")) {
        Document ncx = Jsoup.parse(new String(after.get(name), StandardCharsets.UTF_8), "", org.jsoup.parser.Parser.xmlParser());
        ncx.select("navLabel > text").eachText().stream().filter(t -> !t.contains(MARK)).forEach(t -> wrong.add(name + ": " + t));
      } else if (name.endsWith(".opf")) {
        String opf = new String(after.get(name), StandardCharsets.UTF_8);
        assertTrue(opf.contains("<dc:title id=\"epub-title-1\">" + MARK), opf);
      } else if (!name.endsWith(".xml")) {
        assertTrue(java.util.Arrays.equals(before.get(name), after.get(name)), "unchanged: " + name);
      }
    }
    assertEquals(List.of(), wrong);
    String chapter = new String(after.get("EPUB/text/ch001.xhtml"), StandardCharsets.UTF_8);
    assertEquals(bilingual, chapter.contains(">The soil must be warm"), "the original follows only in a bilingual book");
  }

  /** Real Apertium, every format: the reader sees real Spanish where the English was. */
  @org.junit.jupiter.api.Test
  void realApertiumGivesSpanishInEveryFormat(@TempDir Path apertiumData) throws Exception {
    assertTrue(Files.exists(Path.of("/usr/share/apertium/modes/eng-spa.mode")), "Apertium is required: scripts/install-deps.sh test");
    // Its own Vert.x: two deployments in one would wait for each other's queue ownership.
    Vertx apertiumVertx = Vertx.vertx();
    TestServer apertium = null;
    try {
      apertium = TestServer.start(apertiumVertx, TestServer.config(apertiumData, Map.of("engine", "apertium")))
          .await(30, TimeUnit.SECONDS);
      Map<String, List<String>> expected = Map.of(
          "pandoc.docx", List.of("plantas jóvenes", "Water the young plants"),
          "pandoc.pptx", List.of("plantas jóvenes", "Water the young plants"),
          "pandoc.html", List.of("plantas jóvenes", "Water the young plants"),
          "source.md", List.of("plantas jóvenes", "Water the young plants"),
          "pandoc.epub", List.of("plantas jóvenes", "Water the young plants"),
          "python-docx.docx", List.of("cuarenta árboles", "forty trees"),
          "openpyxl.xlsx", List.of("tomates rojos", "Red tomatoes"));
      for (var file : expected.entrySet()) {
        byte[] result = ServiceRoundTrip.translate(apertium, file.getKey(), Files.readAllBytes(corpus.resolve(file.getKey())),
            Map.of()).body().getBytes();
        String visible = file.getKey().endsWith(".html") || file.getKey().endsWith(".md")
            ? new String(result, StandardCharsets.UTF_8)
            : file.getKey().endsWith(".epub")
            ? new String(OoxmlVisibleText.entries(result).get("EPUB/text/ch001.xhtml"), StandardCharsets.UTF_8)
            : String.join("\n", OoxmlVisibleText.units(result).stream().map(OoxmlVisibleText.Unit::text).toList());
        String spanish = file.getValue().get(0);
        String english = file.getValue().get(1);
        assertTrue(visible.toLowerCase(java.util.Locale.ROOT).contains(spanish), file.getKey() + " has no '" + spanish + "': " + visible);
        assertTrue(!visible.contains(english), file.getKey() + " still shows '" + english + "': " + visible);
        if (file.getKey().startsWith("pandoc") || file.getKey().endsWith(".md")) {
          // The sentence around inline code is translated whole, the code kept as it was.
          assertTrue(visible.matches("(?s).*--days(</code>|`)? para escoger el periodo.*"), file.getKey() + ": " + visible);
        }
      }

      // The formats the corpus tools do not make: subtitles, plain text and a PDF (made with PDFBox).
      String srt = "1\n00:00:01,000 --> 00:00:03,000\nWater the young plants every morning.\n";
      assertTrue(ServiceRoundTrip.translate(apertium, "film.srt", srt.getBytes(StandardCharsets.UTF_8), Map.of()).bodyAsString()
          .contains("00:00:01,000 --> 00:00:03,000\nAgua las plantas jóvenes cada mañana."));
      assertTrue(ServiceRoundTrip.translate(apertium, "note.txt", "Water the young plants every morning.\n"
          .getBytes(StandardCharsets.UTF_8), Map.of()).bodyAsString().contains("plantas jóvenes"));
      java.io.ByteArrayOutputStream pdf = new java.io.ByteArrayOutputStream();
      try (org.apache.pdfbox.pdmodel.PDDocument document = new org.apache.pdfbox.pdmodel.PDDocument()) {
        org.apache.pdfbox.pdmodel.PDPage page = new org.apache.pdfbox.pdmodel.PDPage();
        document.addPage(page);
        try (var content = new org.apache.pdfbox.pdmodel.PDPageContentStream(document, page)) {
          content.beginText();
          content.setFont(new org.apache.pdfbox.pdmodel.font.PDType1Font(
              org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA), 12);
          content.newLineAtOffset(72, 700);
          content.showText("Water the young plants every morning.");
          content.endText();
        }
        document.save(pdf);
      }
      byte[] docx = ServiceRoundTrip.translate(apertium, "guide.pdf", pdf.toByteArray(), Map.of("output", "docx")).body().getBytes();
      String text = String.join("\n", OoxmlVisibleText.units(docx).stream().map(OoxmlVisibleText.Unit::text).toList());
      assertTrue(text.contains("plantas jóvenes"), text);
      // The default for a PDF: a PDF, with the Spanish drawn where the English was.
      Path translatedPdf = Files.createTempFile(apertiumData, "guide", ".pdf");
      Files.write(translatedPdf, ServiceRoundTrip.translate(apertium, "guide.pdf", pdf.toByteArray(), Map.of()).body().getBytes());
      String pdfText = PdfLayoutTest.pdftotext(translatedPdf, 1);
      assertTrue(pdfText.contains("plantas jóvenes"), pdfText);
    } finally {
      ServiceRoundTrip.stop(apertium, apertiumVertx);
    }
  }

  private static List<String> tags(Document document) {
    return document.getAllElements().stream().map(e -> e.tagName() + e.attributes().asList().stream()
        .filter(a -> !a.getKey().equals("alt") && !a.getKey().equals("title")).toList()).toList();
  }

  private static List<TextNode> textNodes(Document document) {
    List<TextNode> nodes = new ArrayList<>();
    document.body().traverse((node, depth) -> {
      if (node instanceof TextNode t && !t.isBlank()) {
        nodes.add(t);
      }
    });
    return nodes;
  }
}
