package dev.translive.queue;

import dev.translive.bus.ErrorCode;
import dev.translive.bus.TaskSpec;
import dev.translive.engine.EngineRegistry;
import dev.translive.engine.TranslationEngine;
import dev.translive.format.DocumentFormat;
import dev.translive.format.FormatException;
import dev.translive.format.FormatRegistry;
import dev.translive.translator.Deduplication;
import dev.translive.translator.Glossary;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns an upload into a {@link TaskSpec}: checks the format against the content, reads the
 * document once to count its segments (so a corrupt file is refused at upload, not minutes later),
 * resolves the engine, and moves the file under the data dir. Runs on worker threads.
 */
public final class TaskIntake {
  private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z]{2,4})?");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final FormatRegistry formats;
  private final EngineRegistry engines;
  private final dev.translive.store.TaskFiles files;
  private final Path uploadsDir;
  private final Path resultsDir;
  private final String defaultSourceLang;
  private final String defaultTargetLang;
  /** The server's glossaries by language pair ("en-es"); a task's own glossary wins where both name a term. */
  private volatile java.util.Map<String, Glossary> serverGlossaries = java.util.Map.of();

  public TaskIntake(Vertx vertx, FormatRegistry formats, EngineRegistry engines, dev.translive.store.TaskFiles files,
      Path dataDir, String defaultSourceLang, String defaultTargetLang) {
    this.vertx = vertx;
    this.files = files;
    this.formats = formats;
    this.engines = engines;
    this.uploadsDir = dataDir.resolve("uploads");
    this.resultsDir = dataDir.resolve("results");
    this.defaultSourceLang = defaultSourceLang;
    this.defaultTargetLang = defaultTargetLang;
  }

  /**
   * The options a client chose for an upload; {@code output} is the result's extension where a
   * format offers more than one (pdf or docx for a PDF), null for the format's default;
   * {@code priority} one of {@link TaskSpec#PRIORITIES} (null: normal).
   */
  public record Request(String filename, String sourceLang, String targetLang, String engine, boolean bilingual, String client,
      String output, String priority, Glossary glossary) {
    /** A request with no glossary of its own (the server's for the pair still applies). */
    public Request(String filename, String sourceLang, String targetLang, String engine, boolean bilingual, String client,
        String output, String priority) {
      this(filename, sourceLang, targetLang, engine, bilingual, client, output, priority, Glossary.EMPTY);
    }

    public Request(String filename, String sourceLang, String targetLang, String engine, boolean bilingual, String client) {
      this(filename, sourceLang, targetLang, engine, bilingual, client, null, TaskSpec.NORMAL);
    }

    public Request(String filename, String sourceLang, String targetLang, String engine, boolean bilingual, String client,
        String output) {
      this(filename, sourceLang, targetLang, engine, bilingual, client, output, TaskSpec.NORMAL);
    }
  }

  /** Sets the server's glossaries (config {@code glossaries}), by language pair such as "en-es". */
  public TaskIntake glossaries(java.util.Map<String, Glossary> byPair) {
    this.serverGlossaries = java.util.Map.copyOf(byPair);
    return this;
  }

  /** The glossary a task of this pair uses: the server's for the pair with the request's own over it. */
  Glossary glossary(String source, String target, Glossary requested) {
    Glossary server = serverGlossaries.getOrDefault(source + "-" + target, Glossary.EMPTY);
    return server.with(requested == null ? Glossary.EMPTY : requested);
  }

  /** Whether a file of this name has a format this service translates (by its extension). */
  public boolean supports(String filename) {
    return formats.supportedExtensions().contains(FormatRegistry.extension(filename));
  }

  /** Validates and stores {@code uploaded} (which this call moves or deletes). */
  public Future<TaskSpec> accept(Request request, Path uploaded) {
    return vertx.executeBlocking(() -> {
      try {
        return acceptBlocking(request, uploaded);
      } catch (RuntimeException | IOException e) {
        Files.deleteIfExists(uploaded);
        throw e;
      }
    }, false).compose(this::share);
  }

  /** Shares the accepted upload with the cluster; if that fails, nothing of it stays. */
  private Future<TaskSpec> share(TaskSpec spec) {
    return files.shareUpload(spec).map(spec).recover(err -> files.delete(spec).transform(ignored -> Future.failedFuture(
        ErrorCode.INTERNAL.error("the upload could not be stored for the cluster: " + err.getMessage()))));
  }

  /** What an estimate needs of a document: its spec (stored nowhere) and its unique segments. */
  public record Measured(TaskSpec spec, List<String> unique, TranslationEngine engine) {}

  /**
   * Reads {@code uploaded} as {@link #accept} would and deletes it: nothing is stored or queued.
   */
  public Future<Measured> measure(Request request, Path uploaded) {
    return vertx.executeBlocking(() -> {
      try {
        Checked checked = check(request, uploaded);
        TaskSpec spec = checked.spec("estimate", uploaded, uploaded);
        return new Measured(spec, checked.dedup.unique(), checked.engine);
      } finally {
        Files.deleteIfExists(uploaded);
      }
    }, false);
  }

  /** An upload that passed every check, read once. */
  private record Checked(String filename, String ext, String outputExt, String source, String target,
      TranslationEngine engine, DocumentFormat format, int segments, Deduplication dedup, Request request, Glossary glossary) {
    TaskSpec spec(String taskId, Path stored, Path result) {
      double pace = engine.nominalSecondsPerSegment() == null ? -1 : engine.nominalSecondsPerSegment();
      return new TaskSpec(taskId, filename, stored.toString(), ext, source, target, engine.id(), request.bilingual(),
          segments, result.toString(), FileNames.resultName(filename, target, outputExt), pace, request.client(),
          dedup.characters(), TaskSpec.priority(request.priority()), glossary.isEmpty() ? null : glossary.toText());
    }
  }

  private TaskSpec acceptBlocking(Request request, Path uploaded) throws IOException {
    Checked checked = check(request, uploaded);
    String taskId = "t-" + HexFormat.of().formatHex(randomBytes(12));
    Path stored = uploadsDir.resolve(taskId + "." + checked.ext());
    moveDurably(uploaded, stored);
    Path result = resultsDir.resolve(taskId + "." + checked.outputExt());
    return checked.spec(taskId, stored, result);
  }

  private Checked check(Request request, Path uploaded) throws IOException {
    String filename = FileNames.sanitize(request.filename());
    String source = language(request.sourceLang(), defaultSourceLang, "source_lang");
    String target = language(request.targetLang(), defaultTargetLang, "target_lang");
    if (source.equals(target)) {
      throw ErrorCode.BAD_REQUEST.error("source_lang and target_lang are both '" + source + "'");
    }
    TranslationEngine engine = engines.resolve(request.engine(), source, target);
    if (Files.size(uploaded) == 0) {
      throw ErrorCode.BAD_REQUEST.error("'" + filename + "' is empty");
    }
    DocumentFormat format = formats.forFile(filename, uploaded);
    String outputExt = output(format, FormatRegistry.extension(filename), request.output());
    int segments;
    Deduplication dedup;
    try {
      List<String> all = format.extract(uploaded).segments();
      segments = all.size();
      dedup = Deduplication.of(all);
    } catch (FormatException e) {
      ErrorCode code = e instanceof dev.translive.format.DocumentTooLargeException ? ErrorCode.TOO_LARGE : ErrorCode.UNREADABLE_DOCUMENT;
      throw code.error("'" + filename + "': " + e.getMessage());
    }
    if (segments == 0) {
      throw ErrorCode.UNREADABLE_DOCUMENT.error("'" + filename + "' contains no text to translate");
    }
    return new Checked(filename, FormatRegistry.extension(filename), outputExt, source, target, engine, format, segments, dedup,
        request, glossary(source, target, request.glossary()).restrictTo(dedup.unique()));
  }

  /** The requested output if the format offers it, else its default; a 400 names what it offers. */
  private static String output(DocumentFormat format, String ext, String requested) {
    List<String> offered = format.outputExtensions(ext);
    if (requested == null || requested.isBlank()) {
      return offered.get(0);
    }
    String wanted = requested.trim().toLowerCase(Locale.ROOT);
    if (!offered.contains(wanted)) {
      throw ErrorCode.BAD_REQUEST.error("output '" + requested.strip() + "' is not available for ." + ext + " files; "
          + "available: " + String.join(", ", offered));
    }
    return wanted;
  }

  private String language(String requested, String fallback, String field) {
    String value = requested == null || requested.isBlank() ? fallback : requested.trim().toLowerCase(Locale.ROOT);
    if (!LANGUAGE.matcher(value).matches()) {
      throw ErrorCode.BAD_REQUEST.error(field + " must be a language code such as 'en' or 'es'");
    }
    return value;
  }

  /** fsync then rename, so an accepted task's file survives a crash right after the reply. */
  static void moveDurably(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    try (FileChannel channel = FileChannel.open(from, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  public static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
