/**
 * A photo served by the authorised route (/photos/<id>: an internal id on signed-in pages, a
 * public id on public ones; app/photos/[photoId]/route.ts), never through next/image (which would
 * fetch and cache private photos through its own optimiser) and never from public/. Shows the
 * 480 px copy at its displayed size, linked to the full photo. No data access; usable from server
 * and client components.
 */
export function PhotoThumbnail({
  photoId,
  width,
  height,
  alt,
  box = 240,
}: {
  /** The id in the photo's address: `photos.id` (private pages) or its public id (public pages). */
  photoId: number | string;
  /** The stored photo's displayed size, in pixels (sets the box so the page does not jump). */
  width: number;
  height: number;
  alt: string;
  /** Longest side shown, in CSS pixels. */
  box?: number;
}) {
  const scale = Math.min(1, box / Math.max(width, height, 1));
  return (
    <a href={`/photos/${photoId}`} style={{ display: 'inline-block' }}>
      {/* eslint-disable-next-line @next/next/no-img-element -- private photos must not go through next/image */}
      <img
        src={`/photos/${photoId}?size=thumb`}
        alt={alt}
        width={Math.max(1, Math.round(width * scale))}
        height={Math.max(1, Math.round(height * scale))}
        loading="lazy"
        decoding="async"
        style={{ display: 'block', maxWidth: '100%', height: 'auto', border: '1px solid var(--line)' }}
      />
    </a>
  );
}
