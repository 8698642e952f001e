package dev.translive.engine;

import java.util.HashMap;
import java.util.Map;

/** Maps ISO 639-1 codes to Apertium's ISO 639-3 codes and back (en to eng, es to spa). */
public final class ApertiumLanguages {
  private static final Map<String, String> ISO_TO_APERTIUM = Map.ofEntries(
      Map.entry("en", "eng"), Map.entry("es", "spa"), Map.entry("fr", "fra"), Map.entry("de", "deu"),
      Map.entry("it", "ita"), Map.entry("pt", "por"), Map.entry("ca", "cat"), Map.entry("gl", "glg"),
      Map.entry("eu", "eus"), Map.entry("oc", "oci"), Map.entry("ro", "ron"), Map.entry("nl", "nld"),
      Map.entry("af", "afr"), Map.entry("da", "dan"), Map.entry("sv", "swe"), Map.entry("nb", "nob"),
      Map.entry("nn", "nno"), Map.entry("is", "isl"), Map.entry("cy", "cym"), Map.entry("br", "bre"),
      Map.entry("ga", "gle"), Map.entry("eo", "epo"), Map.entry("ru", "rus"), Map.entry("uk", "ukr"),
      Map.entry("bg", "bul"), Map.entry("mk", "mkd"), Map.entry("sr", "srp"), Map.entry("hr", "hbs"),
      Map.entry("sl", "slv"), Map.entry("cs", "ces"), Map.entry("sk", "slk"), Map.entry("pl", "pol"),
      Map.entry("kk", "kaz"), Map.entry("tt", "tat"), Map.entry("ar", "ara"), Map.entry("mt", "mlt"),
      Map.entry("hi", "hin"), Map.entry("ur", "urd"), Map.entry("id", "ind"), Map.entry("ms", "msa"));
  private static final Map<String, String> APERTIUM_TO_ISO = new HashMap<>();

  static {
    ISO_TO_APERTIUM.forEach((iso, apertium) -> APERTIUM_TO_ISO.put(apertium, iso));
  }

  private ApertiumLanguages() {}

  /** "en" gives "eng"; an unknown code is returned as is (Apertium may know it). */
  public static String toApertium(String iso) {
    return ISO_TO_APERTIUM.getOrDefault(iso, iso);
  }

  /** "eng" gives "en"; an unknown code is returned as is. */
  public static String toIso(String apertiumCode) {
    return APERTIUM_TO_ISO.getOrDefault(apertiumCode, apertiumCode);
  }
}
