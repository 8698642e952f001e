package dev.translive.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sentence with inline code, links or emphasis is translated as one sentence, its markup kept. */
class InlineMarkupTest {
  @TempDir Path dir;

  private static InlineTags.Markup markupOf(String sentence) {
    return MarkdownFormat.tagged(sentence).markup();
  }

  @Test
  void markdownSentenceBecomesOneSegmentWithNumberedTags() {
    InlineTags.Builder built = MarkdownFormat.tagged("Use `--days` to choose, see [the guide](https://x.org/g) or **bold** text.");
    assertEquals("Use <x1/> to choose, see <g2>the guide</g2> or <g3>bold</g3> text.", built.segment());
    assertEquals("Usa `--days` para elegir, ver [la guía](https://x.org/g) o **negrita** texto.",
        built.markup().restore("Usa <x1/> para elegir, ver <g2>la guía</g2> o <g3>negrita</g3> texto."));
  }

  @Test
  void whatAnEngineLosesIsRepairedNotDropped() {
    InlineTags.Markup markup = markupOf("Use `--days` to choose [the period](https://x.org/p).");
    // A lost code span is appended; a broken pair keeps its text without the markup.
    assertEquals("Usa para elegir el periodo. `--days`", markup.restore("Usa para elegir <g2>el periodo."));
    // Spaces a model adds inside tags are tolerated; unknown tags are removed.
    assertEquals("Usa `--days` para elegir [el periodo](https://x.org/p).",
        markup.restore("Usa < x1 /> para elegir <g2 >el periodo</ g2><x9/>."));
  }

  /** The reported case: after inline code or a link, the rest of the sentence is not a new sentence. */
  @Test
  void realApertiumTranslatesAroundInlineCodeAndLinksInContext() throws Exception {
    assertTrue(Files.exists(Path.of("/usr/share/apertium/modes/eng-spa.mode")), "Apertium is required: scripts/install-deps.sh test");
    String md = "Use `--days` to choose the period.\n\nRead [the documentation](https://example.org/doc) for more details.\n\n"
        + "Read the **red house** now.\n";
    Vertx vertx = Vertx.vertx();
    TestServer server = null;
    try {
      server = TestServer.start(vertx, TestServer.config(dir, Map.of("engine", "apertium"))).await(30, TimeUnit.SECONDS);
      String out = ServiceRoundTrip.translate(server, "guide.md", md.getBytes(StandardCharsets.UTF_8), Map.of())
          .bodyAsString();
      assertTrue(out.contains("`--days` para escoger el periodo."), out);
      assertTrue(out.contains("[la documentación](https://example.org/doc) para más detalles."), out);
      // Wordbound blanks move with their words when Apertium reorders them.
      assertTrue(out.contains("**casa roja**"), out);

      String html = "<html><body><p>Use <code>--days</code> to choose the period.</p>"
          + "<p>Read <a href=\"https://example.org/doc\">the documentation</a> for more details.</p></body></html>";
      String page = ServiceRoundTrip.translate(server, "guide.html", html.getBytes(StandardCharsets.UTF_8), Map.of())
          .bodyAsString();
      assertTrue(page.contains("<code>--days</code> para escoger el periodo."), page);
      assertTrue(page.contains("<a href=\"https://example.org/doc\">la documentación</a> para más detalles."), page);
    } finally {
      ServiceRoundTrip.stop(server, vertx);
    }
  }
}
