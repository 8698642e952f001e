package dev.translive.format;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Scans and photos of text (png, jpg, tiff): the text is recognised with Tesseract, with each
 * paragraph's box. The translation is a PDF by default, one page per image (or per page of a
 * multi-page TIFF) with the translation drawn over the scanned words; or a .docx with output=docx.
 */
public class ImageFormat implements DocumentFormat {
  /** Pixels Tesseract is given at most per image: an A4 page at 600 dpi is about 35 million. */
  static final long MAX_PIXELS = 50_000_000;

  @Override
  public String id() {
    return "image";
  }

  @Override
  public List<String> extensions() {
    return List.of("png", "jpg", "jpeg", "tif", "tiff");
  }

  @Override
  public String outputExtension(String inputExtension) {
    return "pdf";
  }

  @Override
  public List<String> outputExtensions(String inputExtension) {
    return PdfFormat.OUTPUTS;
  }

  @Override
  public boolean matchesContent(byte[] head) {
    return TextDecoding.startsWith(head, 0x89, 'P', 'N', 'G') || TextDecoding.startsWith(head, 0xFF, 0xD8, 0xFF)
        || TextDecoding.startsWith(head, 'I', 'I', 42, 0) || TextDecoding.startsWith(head, 'M', 'M', 0, 42);
  }

  @Override
  public Extraction extract(Path source, FormatLimits limits) throws IOException, FormatException {
    if (!Ocr.available()) {
      throw new FormatException("Text recognition is not installed on this server (tesseract-ocr)");
    }
    List<Integer> widths = checkDeclaredSize(source, limits);
    List<List<PdfFormat.Block>> pages = Ocr.remembered(source, () -> {
      // Pages are set 612 points (US Letter) wide in the PDF output, whatever the image's resolution.
      List<List<PdfFormat.Block>> read = new ArrayList<>(Ocr.recognizePages(source, "the image", page -> 612f / widths.get(page)));
      while (read.size() < widths.size()) {
        read.add(List.of());
      }
      limits.checkSegments(read.stream().mapToLong(List::size).sum());
      return read;
    });
    if (pages.stream().allMatch(List::isEmpty)) {
      throw new FormatException("No text could be recognised in the image");
    }
    return new PdfFormat.PdfExtraction(pages, source, true);
  }

  /** Width, height and page count from the image's header, before anything is decoded; the pages' widths. */
  private static List<Integer> checkDeclaredSize(Path source, FormatLimits limits) throws IOException, FormatException {
    try (ImageInputStream in = ImageIO.createImageInputStream(source.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new FormatException("The image cannot be read; it may be corrupt");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, false, true);
        int pages = reader.getNumImages(true);
        limits.checkPages(pages);
        Ocr.checkPages(pages);
        List<Integer> widths = new ArrayList<>();
        for (int i = 0; i < pages; i++) {
          widths.add(reader.getWidth(i));
          long pixels = (long) reader.getWidth(i) * reader.getHeight(i);
          if (pixels > MAX_PIXELS) {
            throw new FormatException("The image has " + FormatLimits.count(pixels) + " pixels; at most "
                + FormatLimits.count(MAX_PIXELS) + " are accepted");
          }
        }
        return widths;
      } catch (IOException | RuntimeException e) {
        if (e instanceof FormatLimits.Exceeded exceeded) {
          throw exceeded;
        }
        throw new FormatException("The image cannot be read; it may be corrupt", e);
      } finally {
        reader.dispose();
      }
    }
  }
}
