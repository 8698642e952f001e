package dev.translive.engine;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Maps ISO 639-1 codes ("en") to the ISO 639-3 codes Apertium names its pairs with ("eng") and
 * back. Apertium variants ("eng_US", "por_BR") map back to their base language.
 */
public final class ApertiumLanguages {
  private static final Map<String, String> ISO_TO_APERTIUM = Map.ofEntries(
      Map.entry("af", "afr"), Map.entry("an", "arg"), Map.entry("ar", "ara"), Map.entry("ast", "ast"),
      Map.entry("be", "bel"), Map.entry("bg", "bul"), Map.entry("br", "bre"), Map.entry("ca", "cat"),
      Map.entry("cs", "ces"), Map.entry("cy", "cym"), Map.entry("da", "dan"), Map.entry("de", "deu"),
      Map.entry("el", "ell"), Map.entry("en", "eng"), Map.entry("eo", "epo"), Map.entry("es", "spa"),
      Map.entry("et", "est"), Map.entry("eu", "eus"), Map.entry("fa", "fas"), Map.entry("fi", "fin"),
      Map.entry("fr", "fra"), Map.entry("ga", "gle"), Map.entry("gl", "glg"), Map.entry("he", "heb"),
      Map.entry("hi", "hin"), Map.entry("hr", "hbs_HR"), Map.entry("hu", "hun"), Map.entry("id", "ind"),
      Map.entry("is", "isl"), Map.entry("it", "ita"), Map.entry("kk", "kaz"), Map.entry("lt", "lit"),
      Map.entry("lv", "lav"), Map.entry("mk", "mkd"), Map.entry("ms", "msa"), Map.entry("mt", "mlt"),
      Map.entry("nb", "nob"), Map.entry("nl", "nld"), Map.entry("nn", "nno"), Map.entry("oc", "oci"),
      Map.entry("pl", "pol"), Map.entry("pt", "por"), Map.entry("ro", "ron"), Map.entry("ru", "rus"),
      Map.entry("sc", "srd"), Map.entry("sk", "slk"), Map.entry("sl", "slv"), Map.entry("sq", "sqi"),
      Map.entry("sv", "swe"), Map.entry("tr", "tur"), Map.entry("tt", "tat"), Map.entry("uk", "ukr"),
      Map.entry("ur", "urd"), Map.entry("uz", "uzb"));

  private static final Map<String, String> APERTIUM_TO_ISO = ISO_TO_APERTIUM.entrySet().stream()
      .collect(Collectors.toUnmodifiableMap(e -> e.getValue().toLowerCase(Locale.ROOT), Map.Entry::getKey));

  private ApertiumLanguages() {}

  /** "en" → "eng"; unknown codes are returned as given (APy also accepts some 2-letter codes). */
  public static String toApertium(String iso) {
    if (iso == null) {
      return null;
    }
    String code = iso.trim().toLowerCase(Locale.ROOT);
    return ISO_TO_APERTIUM.getOrDefault(code, code);
  }

  /**
   * "eng" or "eng_US" → "en"; a code that is already 2 letters is returned as is; null when the
   * language has no ISO 639-1 code here.
   */
  public static String toIso(String apertiumCode) {
    if (apertiumCode == null || apertiumCode.isBlank()) {
      return null;
    }
    String code = apertiumCode.trim().toLowerCase(Locale.ROOT);
    String exact = APERTIUM_TO_ISO.get(code);
    if (exact != null) {
      return exact;
    }
    int variant = code.indexOf('_');
    String base = variant > 0 ? code.substring(0, variant) : code;
    if (base.length() == 2) {
      return base;
    }
    return APERTIUM_TO_ISO.get(base);
  }
}
