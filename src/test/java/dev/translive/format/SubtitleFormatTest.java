package dev.translive.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubtitleFormatTest {

  @TempDir Path dir;

  private static List<String> upperCase(List<String> segments) {
    return segments.stream().map(s -> s.toUpperCase(Locale.ROOT)).toList();
  }

  private static final String SRT =
      "1\r\n"
          + "00:00:01,000 --> 00:00:02,500\r\n"
          + "Hello there!\r\n"
          + "\r\n"
          + "2\r\n"
          + "00:00:03,000 --> 00:00:05,000\r\n"
          + "How are you?\r\n"
          + "Fine, thanks.\r\n"
          + "\r\n"
          + "3\r\n"
          + "00:00:06,000 --> 00:00:07,000\r\n"
          + "Hello there!\r\n";

  @Test
  void srtCueTextsAreTranslatedAndEverythingElseKept() throws Exception {
    var extraction = FormatFiles.extracted(new SrtFormat(), dir, "movie.srt", SRT);
    assertEquals(
        List.of("Hello there!", "How are you?\nFine, thanks.", "Hello there!"), extraction.segments());

    assertEquals(SRT.replace("Hello there!", "HELLO THERE!")
            .replace("How are you?\r\nFine, thanks.", "HOW ARE YOU?\r\nFINE, THANKS."),
        FormatFiles.written(extraction, upperCase(extraction.segments()), dir, "out.srt", true));
  }

  @Test
  void srtTranslationLinesAreJoinedOrSplitAsTheTranslationSays() throws Exception {
    var extraction = FormatFiles.extracted(new SrtFormat(), dir, "movie.srt", SRT);
    String out = FormatFiles.written(extraction, List.of("Hola\n\nallí --> aquí", "¿Qué tal? Bien, gracias.", "Hola"),
        dir, "out.srt", false);
    assertTrue(out.contains("00:00:01,000 --> 00:00:02,500\r\nHola\r\nallí -> aquí\r\n\r\n2\r\n"), out);
    assertTrue(out.contains("00:00:03,000 --> 00:00:05,000\r\n¿Qué tal? Bien, gracias.\r\n\r\n3\r\n"), out);
  }

  @Test
  void srtKeepsLegacyEncoding() throws Exception {
    Charset legacy = Charset.forName("windows-1252");
    var extraction = FormatFiles.extracted(new SrtFormat(), dir, "old.srt",
        "1\n00:00:01,000 --> 00:00:02,000\nCafé crème\n".getBytes(legacy));
    assertEquals(List.of("Café crème"), extraction.segments());
    assertArrayEquals("1\n00:00:01,000 --> 00:00:02,000\nKaffee mit Sahne – süß\n".getBytes(legacy),
        FormatFiles.writtenBytes(extraction, List.of("Kaffee mit Sahne – süß"), dir, "out.srt"));
  }

  @Test
  void fileWithoutTimingsIsNotSubtitles() throws Exception {
    Path file = dir.resolve("notes.srt");
    Files.writeString(file, "just some text\nwithout cues\n");
    FormatException e = assertThrows(FormatException.class, () -> new SrtFormat().extract(file));
    assertTrue(e.getMessage().contains("no subtitle cues"), e.getMessage());
  }

  private static final String VTT =
      "\uFEFFWEBVTT - Example\n"
          + "Kind: captions\n"
          + "\n"
          + "STYLE\n"
          + "::cue { color: yellow }\n"
          + "\n"
          + "NOTE This note is not translated\n"
          + "\n"
          + "intro\n"
          + "00:00.000 --> 00:02.000 align:start position:10%\n"
          + "<v Roger>Welcome back\n"
          + "to the show\n"
          + "\n"
          + "00:02.500 --> 00:04.000\n"
          + "Goodbye\n";

  @Test
  void vttCueTextsAreTranslatedAndHeaderNotesStylesSettingsKept() throws Exception {
    var extraction = FormatFiles.extracted(new VttFormat(), dir, "talk.vtt", VTT);
    assertEquals(List.of("<v Roger>Welcome back\nto the show", "Goodbye"), extraction.segments());
    assertEquals(
        VTT.replace("Welcome back\nto the show", "Bienvenidos\nal programa").replace("Goodbye", "Adiós"),
        FormatFiles.written(extraction, List.of("<v Roger>Bienvenidos\nal programa", "Adiós"), dir, "out.vtt", false));
  }

  @Test
  void matchesContent() {
    VttFormat vtt = new VttFormat();
    SrtFormat srt = new SrtFormat();
    assertTrue(vtt.matchesContent("WEBVTT\n\n00:00.000 --> 00:01.000\nHi".getBytes(StandardCharsets.UTF_8)));
    assertTrue(vtt.matchesContent("\uFEFFWEBVTT Title\n".getBytes(StandardCharsets.UTF_8)));
    assertTrue(vtt.matchesContent("WEBVTT".getBytes(StandardCharsets.UTF_8)));
    assertFalse(vtt.matchesContent("WEBVTTX\n".getBytes(StandardCharsets.UTF_8)));
    assertFalse(vtt.matchesContent(SRT.getBytes(StandardCharsets.UTF_8)));
    assertTrue(srt.matchesContent(SRT.getBytes(StandardCharsets.UTF_8)));
    assertFalse(srt.matchesContent(new byte[] {'P', 'K', 3, 4, 0, 0, 1, 2}));
    assertFalse(srt.matchesContent(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 'a'}));
  }

  @Test
  void vttWithoutHeaderIsRejected() throws Exception {
    Path file = dir.resolve("bad.vtt");
    Files.writeString(file, SRT);
    FormatException e = assertThrows(FormatException.class, () -> new VttFormat().extract(file));
    assertTrue(e.getMessage().contains("WEBVTT"), e.getMessage());
  }
}
