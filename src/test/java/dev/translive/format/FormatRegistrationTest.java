package dev.translive.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FormatRegistrationTest {

  @Test
  void serviceLoaderFindsEveryFormatAndExtensionsAreUnique() {
    Set<String> ids = new HashSet<>();
    Set<String> extensions = new HashSet<>();
    for (DocumentFormat format : ServiceLoader.load(DocumentFormat.class)) {
      assertTrue(ids.add(format.id()), "duplicate id " + format.id());
      for (String extension : format.extensions()) {
        assertTrue(extensions.add(extension), "extension claimed twice: " + extension);
      }
    }
    assertTrue(ids.containsAll(List.of("docx", "pptx", "xlsx", "html", "srt", "vtt", "pdf")), ids.toString());
    assertTrue(extensions.containsAll(List.of("docx", "pptx", "xlsx", "html", "htm", "srt", "vtt", "pdf")));
  }

  @Test
  void runDistributionFollowsCharacterShareAndKeepsWordsWhole() {
    assertEquals(
        List.of("VISIT ", "OUR WEBSITE", " TODAY"),
        RunTextDistributor.distribute("VISIT OUR WEBSITE TODAY", List.of("Visit ", "our website", " today")));
    List<String> german =
        RunTextDistributor.distribute("Besuchen Sie heute unsere Webseite", List.of("Visit ", "our website", " today"));
    assertEquals("Besuchen Sie heute unsere Webseite", String.join("", german));
    assertEquals(List.of("Besuchen ", "Sie heute unsere", " Webseite"), german);
    assertEquals(List.of("全部"), RunTextDistributor.distribute("全部", List.of("all")));
    assertEquals(List.of("今天", "访问"), RunTextDistributor.distribute("今天访问", List.of("Today ", "visit")));
  }
}
