package dev.translive.translator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.bus.TransliveException;
import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Glossaries: the file a task sends, the server's per language pair, applied by the demo engine and real Apertium. */
class GlossaryTest {
  @TempDir
  Path dataDir;
  private Vertx vertx;
  private TestServer server;

  @AfterEach
  void stop() throws Exception {
    try {
      if (server != null) {
        server.stop().await(20, TimeUnit.SECONDS);
      }
    } finally {
      if (vertx != null) {
        vertx.close().await(20, TimeUnit.SECONDS);
      }
    }
  }

  private TestServer start(Map<String, Object> overrides) throws Exception {
    vertx = Vertx.vertx();
    server = TestServer.start(vertx, dataDir, overrides).await(30, TimeUnit.SECONDS);
    return server;
  }

  // ---- the glossary file ----

  @Test
  void csvAndTsvAreRead() {
    Glossary csv = Glossary.parse("source,target\nhouse,hogar\n\"red, bright\",\"rojo \"\"vivo\"\"\"\n# a comment\n\n"
        .getBytes(StandardCharsets.UTF_8));
    assertEquals(Map.of("house", "hogar", "red, bright", "rojo \"vivo\""), csv.entries());
    Glossary tsv = Glossary.parse("\uFEFFhouse\thogar\r\nAPI\tAPI\r\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(Map.of("house", "hogar", "API", "API"), tsv.entries());
    assertEquals(tsv.entries(), Glossary.fromText(tsv.toText()).entries());
    assertEquals(tsv.hash(), Glossary.fromText(tsv.toText()).hash());
    assertFalse(tsv.hash().equals(csv.hash()));
  }

  @Test
  void badGlossariesAreRefusedWithAReason() {
    assertThrows(TransliveException.class, () -> Glossary.parse(new byte[] {(byte) 0xC3, (byte) 0x28, ',', 'x'}));
    TransliveException line = assertThrows(TransliveException.class,
        () -> Glossary.parse("house,hogar\njust one field\n".getBytes(StandardCharsets.UTF_8)));
    assertTrue(line.getMessage().contains("line 2"), line.getMessage());
    assertThrows(TransliveException.class, () -> Glossary.parse("\n# nothing\n".getBytes(StandardCharsets.UTF_8)));
    StringBuilder many = new StringBuilder();
    for (int i = 0; i <= Glossary.MAX_ENTRIES; i++) {
      many.append("term").append(i).append(",t").append(i).append('\n');
    }
    TransliveException tooMany = assertThrows(TransliveException.class,
        () -> Glossary.parse(many.toString().getBytes(StandardCharsets.UTF_8)));
    assertTrue(tooMany.getMessage().contains("5000"), tooMany.getMessage());
    assertThrows(TransliveException.class, () -> Glossary.parse(new byte[Glossary.MAX_BYTES + 1]));
  }

  @Test
  void termsAreProtectedAsWholeWordsLongestFirstAndPutBackEvenWhenAnEngineLosesTheTag() {
    Glossary g = Glossary.of(Map.of("house", "hogar", "red house", "casa roja", "API", "API"));
    Glossary.Protected p = g.protect(List.of("The red house and the house<x1/> and houses, API.", "none here"));
    assertEquals("The <x9001/> and the <x9002/><x1/> and houses, <x9003/>.", p.segments().get(0));
    assertEquals("none here", p.segments().get(1));
    assertEquals(List.of("La casa roja y el hogar<x1/> y casas, API.", "nada"),
        p.restore(List.of("La <x9001/> y el <x9002/><x1/> y casas, <x9003/>.", "nada")));
    assertEquals("La y el hogar casa roja API", p.restore(List.of("La y el <x9002/>", "nada")).get(0));
    assertEquals(Map.of("house", "hogar", "red house", "casa roja"), g.occurringIn(List.of("a red house")));
    assertEquals(Map.of("house", "hogar", "red house", "casa roja"), g.restrictTo(List.of("a red house", "no APIs")).entries());
    assertTrue(g.restrictTo(List.of("nothing")).isEmpty());
    Glossary.Protected first = g.protect(List.of("House prices."));
    assertEquals("<x9001/> prices.", first.segments().get(0));
    assertEquals("Hogar precios.", first.restore(List.of("<x9001/> precios.")).get(0), "a sentence's first word, capitalised");
    assertEquals(Map.of("house", "hogar"), g.restrictTo(List.of("House prices.")).entries());
  }

  // ---- through the service ----

  private static final String GLOSSARY = "source,target\nhouse,HOGARX\nbooks,LIBROSX\n";

  private static final String TEXT = "The house is red.\n\nI like books and the house.\n";
  private static final String MD = "# The house\n\nI like *books* and the [house](http://example.com/house).\n";
  private static final String HTML = "<html><body><h1>The house</h1><p>I like <b>books</b> and the house.</p></body></html>";

  private HttpResponse<Buffer> submit(String name, byte[] content, String glossary, Map<String, String> fields) throws Exception {
    MultipartForm form = MultipartForm.create();
    fields.forEach(form::attribute);
    form.binaryFileUpload("file", name, Buffer.buffer(content), "application/octet-stream");
    if (glossary != null) {
      form.binaryFileUpload("glossary", "glossary.csv", Buffer.buffer(glossary), "text/csv");
    }
    return server.http.post("/api/tasks").sendMultipartForm(form).await(60, TimeUnit.SECONDS);
  }

  /** The finished task and its result. */
  private Map.Entry<JsonObject, byte[]> translate(String name, byte[] content, String glossary) throws Exception {
    HttpResponse<Buffer> accepted = submit(name, content, glossary, Map.of());
    assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
    JsonObject task = accepted.bodyAsJsonObject().getJsonArray("tasks").getJsonObject(0);
    JsonObject done = server.awaitFinished(task.getString("task_id")).await(60, TimeUnit.SECONDS);
    assertEquals("completed", done.getString("status"), done.encode());
    done = server.http.get("/api/tasks/" + task.getString("task_id")).putHeader("X-Task-Token", task.getString("token")).send()
        .await(30, TimeUnit.SECONDS).bodyAsJsonObject();
    byte[] result = server.http.get("/api/tasks/" + task.getString("task_id") + "/result")
        .putHeader("X-Task-Token", task.getString("token")).send().await(30, TimeUnit.SECONDS).body().getBytes();
    return Map.entry(done, result);
  }

  private static int count(String text, String word) {
    Matcher m = Pattern.compile("\\b" + Pattern.quote(word) + "\\b").matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /** Visible text of a result: a docx's paragraphs, HTML without tags, else the text. */
  private static String visible(String name, byte[] result) throws Exception {
    if (name.endsWith(".docx")) {
      try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(result))) {
        for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
          if (e.getName().equals("word/document.xml")) {
            return new String(zip.readAllBytes(), StandardCharsets.UTF_8).replaceAll("<[^>]+>", " ");
          }
        }
      }
      throw new AssertionError("no word/document.xml");
    }
    String text = new String(result, StandardCharsets.UTF_8);
    if (name.endsWith(".md")) {
      text = text.replaceAll("\\(http[^)]*\\)", "");
    }
    return name.endsWith(".html") ? text.replaceAll("<[^>]+>", " ") : text;
  }

  static byte[] docx(String... paragraphs) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      entry(zip, "[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
          + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
          + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
          + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
          + "<Override PartName=\"/word/document.xml\" "
          + "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>");
      entry(zip, "_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
          + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
          + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
          + "Target=\"word/document.xml\"/></Relationships>");
      StringBuilder body = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
          + "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>");
      for (String p : paragraphs) {
        body.append("<w:p><w:r><w:t xml:space=\"preserve\">").append(p).append("</w:t></w:r></w:p>");
      }
      entry(zip, "word/document.xml", body.append("</w:body></w:document>").toString());
    }
    return bytes.toByteArray();
  }

  private static void entry(ZipOutputStream zip, String name, String content) throws Exception {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(content.getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
  }

  private static Map<String, byte[]> documents() throws Exception {
    Map<String, byte[]> docs = new java.util.LinkedHashMap<>();
    docs.put("g.txt", TEXT.getBytes(StandardCharsets.UTF_8));
    docs.put("g.md", MD.getBytes(StandardCharsets.UTF_8));
    docs.put("g.html", HTML.getBytes(StandardCharsets.UTF_8));
    docs.put("g.docx", docx("The house is red.", "I like books and the house."));
    return docs;
  }

  /** Every occurrence of house and books in each format's input comes out as the glossary's term. */
  private void termsAppearWhereverTheSourceTermsDo(Map<String, Object> overrides) throws Exception {
    start(overrides);
    for (Map.Entry<String, byte[]> doc : documents().entrySet()) {
      String input = visible(doc.getKey(), doc.getValue());
      String output = visible(doc.getKey(), translate(doc.getKey(), doc.getValue(), GLOSSARY).getValue());
      assertEquals(count(input, "house"), count(output, "HOGARX"), doc.getKey() + ": " + output);
      assertEquals(count(input, "books"), count(output, "LIBROSX"), doc.getKey() + ": " + output);
      assertTrue(count(output, "HOGARX") > 0, doc.getKey() + ": " + output);
      assertFalse(output.contains("house") || output.contains("casa"), doc.getKey() + ": " + output);
    }
  }

  @Test
  void theDemoEngineAppliesATasksGlossaryInEveryFormat() throws Exception {
    termsAppearWhereverTheSourceTermsDo(Map.of());
  }

  @Test
  void apertiumAppliesATasksGlossaryInEveryFormat() throws Exception {
    assertTrue(dev.translive.engine.ApertiumEngine.class != null
        && Path.of("/usr/share/apertium/modes/eng-spa.mode").toFile().exists(), "Apertium eng-spa is required");
    termsAppearWhereverTheSourceTermsDo(Map.of("engine", "apertium"));
    String out = new String(translate("plain.txt", "The house is red.\n".getBytes(StandardCharsets.UTF_8), GLOSSARY).getValue(),
        StandardCharsets.UTF_8);
    assertTrue(out.contains("HOGARX") && out.contains("roj"), out);
  }

  @Test
  void aDifferentGlossaryIsNotServedFromTheTranslationMemory() throws Exception {
    start(Map.of("engine", "apertium"));
    byte[] doc = TEXT.getBytes(StandardCharsets.UTF_8);
    var first = translate("same.txt", doc, "house,HOGARX\n");
    assertTrue(new String(first.getValue(), StandardCharsets.UTF_8).contains("HOGARX"));
    var again = translate("same.txt", doc, "house,HOGARX\n");
    assertEquals(again.getKey().getInteger("unique_segments"), again.getKey().getInteger("cached_segments"),
        "the same glossary is served from memory: " + again.getKey().encode());
    var other = translate("same.txt", doc, "house,VIVIENDAX\n");
    String text = new String(other.getValue(), StandardCharsets.UTF_8);
    assertTrue(text.contains("VIVIENDAX") && !text.contains("HOGARX"), text);
    assertEquals(0, other.getKey().getInteger("cached_segments"), other.getKey().encode());
    // An estimate with a glossary counts what is remembered under that glossary.
    MultipartForm estimate = MultipartForm.create();
    estimate.binaryFileUpload("file", "same.txt", Buffer.buffer(doc), "text/plain");
    estimate.binaryFileUpload("glossary", "g.csv", Buffer.buffer("house,VIVIENDAX\n"), "text/csv");
    JsonObject est = server.http.post("/api/estimate").sendMultipartForm(estimate).await(30, TimeUnit.SECONDS).bodyAsJsonObject()
        .getJsonArray("estimates").getJsonObject(0);
    assertEquals(est.getInteger("unique_segments"), est.getInteger("cached_segments"), est.encode());
    MultipartForm estimateOther = MultipartForm.create();
    estimateOther.binaryFileUpload("file", "same.txt", Buffer.buffer(doc), "text/plain");
    estimateOther.binaryFileUpload("glossary", "g.csv", Buffer.buffer("house,OTRAX\n"), "text/csv");
    JsonObject estOther = server.http.post("/api/estimate").sendMultipartForm(estimateOther).await(30, TimeUnit.SECONDS)
        .bodyAsJsonObject().getJsonArray("estimates").getJsonObject(0);
    assertEquals(0, estOther.getInteger("cached_segments"), estOther.encode());
    var none = translate("same.txt", doc, null);
    String plain = new String(none.getValue(), StandardCharsets.UTF_8);
    assertTrue(plain.contains("casa") && !plain.contains("X"), plain);
  }

  @Test
  void theServersGlossaryForTheLanguagePairApplies() throws Exception {
    start(Map.of("glossaries", new JsonObject().put("en-es", new JsonObject().put("house", "MORADAX"))));
    String out = new String(translate("s.txt", TEXT.getBytes(StandardCharsets.UTF_8), null).getValue(), StandardCharsets.UTF_8);
    assertEquals(2, count(out, "MORADAX"), out);
    // A task's own glossary wins where both name a term.
    String own = new String(translate("s.txt", TEXT.getBytes(StandardCharsets.UTF_8), "house,HOGARX\n").getValue(),
        StandardCharsets.UTF_8);
    assertEquals(2, count(own, "HOGARX"), own);
  }

  @Test
  void aServiceOnTheBusSendsTheGlossaryAsAHeader() throws Exception {
    start(Map.of());
    JsonObject reply = server.vertx.eventBus().<JsonObject>request("translive.tasks.submit", Buffer.buffer(TEXT),
        new io.vertx.core.eventbus.DeliveryOptions().addHeader("filename", "bus.txt").addHeader("glossary", "house\tHOGARX\n"))
        .await(30, TimeUnit.SECONDS).body();
    assertEquals("completed", server.awaitFinished(reply.getString("task_id")).await(60, TimeUnit.SECONDS).getString("status"));
    String out = server.http.get("/api/tasks/" + reply.getString("task_id") + "/result")
        .putHeader("X-Task-Token", reply.getString("token")).send().await(30, TimeUnit.SECONDS).bodyAsString();
    assertEquals(2, count(out, "HOGARX"), out);
    Throwable bad = assertThrows(Exception.class, () -> server.vertx.eventBus().request("translive.tasks.submit",
        Buffer.buffer(TEXT), new io.vertx.core.eventbus.DeliveryOptions().addHeader("filename", "bus.txt")
            .addHeader("glossary", "no second field")).await(30, TimeUnit.SECONDS));
    assertTrue(String.valueOf(bad.getMessage()).contains("glossary"), String.valueOf(bad.getMessage()));
  }

  @Test
  void aBadGlossaryPartIsA400AndNothingIsQueued() throws Exception {
    start(Map.of());
    HttpResponse<Buffer> bad = submit("x.txt", TEXT.getBytes(StandardCharsets.UTF_8), "only one field\n", Map.of());
    assertEquals(400, bad.statusCode(), bad.bodyAsString());
    assertTrue(bad.bodyAsString().contains("glossary line 1"), bad.bodyAsString());
    HttpResponse<Buffer> big = submit("x.txt", TEXT.getBytes(StandardCharsets.UTF_8), "a,b\n".repeat(300_000), Map.of());
    assertEquals(400, big.statusCode(), big.bodyAsString());
    assertTrue(big.bodyAsString().contains("glossary"), big.bodyAsString());
    JsonObject tasks = server.http.get("/api/queue").send().await(10, TimeUnit.SECONDS).bodyAsJsonObject();
    assertFalse(tasks.encode().contains("x.txt"), tasks.encode());
  }

  @Test
  void theGlossaryTravelsWithTheTaskSpec() {
    var spec = new dev.translive.bus.TaskSpec("t", "a.txt", "/a", "txt", "en", "es", "demo", false, 1, "/r", "a.es.txt", 0.5, "c",
        10, "normal", "house\thogar\n");
    assertEquals(spec, dev.translive.bus.TaskSpec.fromJson(spec.toJson()));
    var old = new dev.translive.bus.TaskSpec("t", "a.txt", "/a", "txt", "en", "es", "demo", false, 1, "/r", "a.es.txt", 0.5, "c",
        10, "normal");
    assertEquals(null, old.glossary());
    Map<String, String> env = new HashMap<>();
    env.put("TRANSLIVE_GLOSSARIES_EN_FR", "/tmp/en-fr.tsv");
    JsonObject config = new JsonObject();
    dev.translive.config.ConfigLoader.applyOverrides(config, env);
    assertEquals("/tmp/en-fr.tsv", config.getJsonObject("glossaries").getString("en-fr"));
  }
}
