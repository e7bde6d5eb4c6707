/**
 * Small, dependency-free readers of the HTML the app renders (pure; unit tested in html.test.ts).
 * Next.js output is well-formed, so a tag tokenizer is enough: no DOM is built.
 */

export type Tag = { name: string; attrs: Map<string, string>; start: number; end: number };

const TAG = /<([a-zA-Z][\w:-]*)((?:\s+[^\s"'=<>`/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
const ATTR = /([^\s"'=<>`/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/** Decodes the entities React and Next.js write into attribute values and text. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (whole, code: string) => {
    const lower = code.toLowerCase();
    if (lower === 'amp') return '&';
    if (lower === 'lt') return '<';
    if (lower === 'gt') return '>';
    if (lower === 'quot') return '"';
    if (lower === 'apos') return "'";
    const n = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
    return Number.isFinite(n) && n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : whole;
  });
}

/** Every start tag in `html` (inside <script> and <style> bodies too — callers filter by name). */
export function startTags(html: string): Tag[] {
  const tags: Tag[] = [];
  for (const match of html.matchAll(TAG)) {
    const attrs = new Map<string, string>();
    for (const a of (match[2] ?? '').matchAll(ATTR)) {
      if (a[1] === undefined) continue;
      attrs.set(a[1].toLowerCase(), decodeEntities(a[2] ?? a[3] ?? a[4] ?? ''));
    }
    const start = match.index ?? 0;
    tags.push({ name: (match[1] ?? '').toLowerCase(), attrs, start, end: start + match[0].length });
  }
  return tags;
}

/** External script URLs (as written) and the bodies of inline scripts, in document order. */
export function scriptsOf(html: string): { external: string[]; inline: string[] } {
  const external: string[] = [];
  const inline: string[] = [];
  const re = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi;
  for (const match of html.matchAll(re)) {
    const tag = startTags(`<script${match[1] ?? ''}>`)[0];
    const src = tag?.attrs.get('src');
    const type = tag?.attrs.get('type');
    if (type && !/^(text|application)\/(javascript|ecmascript)$|^module$/i.test(type)) continue; // JSON, importmaps
    if (src) external.push(src);
    else if ((match[2] ?? '').trim()) inline.push(match[2] ?? '');
  }
  return { external: [...new Set(external)], inline };
}

/** A <form> with its attributes and its named controls' values as the HTML sets them. */
export type HtmlForm = {
  attrs: Map<string, string>;
  /** [name, value] of hidden inputs, in document order. */
  hidden: [string, string][];
  /** Names of every control (input, select, textarea, button). */
  controlNames: Set<string>;
  html: string;
};

/** Every <form> of the page (forms cannot nest in HTML). */
export function formsOf(html: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  const re = /<form\b[^>]*>[\s\S]*?<\/form>/gi;
  for (const match of html.matchAll(re)) {
    const formHtml = match[0];
    const tags = startTags(formHtml);
    const first = tags[0];
    if (!first) continue;
    const hidden: [string, string][] = [];
    const controlNames = new Set<string>();
    for (const tag of tags) {
      const name = tag.attrs.get('name');
      if (!name || !['input', 'select', 'textarea', 'button'].includes(tag.name)) continue;
      controlNames.add(name);
      if (tag.name === 'input' && tag.attrs.get('type')?.toLowerCase() === 'hidden') hidden.push([name, tag.attrs.get('value') ?? '']);
    }
    forms.push({ attrs: first.attrs, hidden, controlNames, html: formHtml });
  }
  return forms;
}

/**
 * The href of the page's "next page" link: an <a> or <link> with rel~="next", else an <a> whose
 * text starts with Next / Older / More / 다음 (→ or » allowed). Null when there is none.
 */
export function nextPageHref(html: string): string | null {
  for (const tag of startTags(html)) {
    if ((tag.name === 'a' || tag.name === 'link') && /(^|\s)next(\s|$)/i.test(tag.attrs.get('rel') ?? '')) {
      const href = tag.attrs.get('href');
      if (href) return href;
    }
  }
  const re = /<a\b([^>]*)>([\s\S]*?)<\/a>/gi;
  for (const match of html.matchAll(re)) {
    const text = decodeEntities((match[2] ?? '').replace(/<[^>]*>/g, '')).trim();
    if (!/^(next|older|more|다음)\b|^(next|older)\s*[→»›]|^다음/i.test(text)) continue;
    const href = startTags(`<a${match[1] ?? ''}>`)[0]?.attrs.get('href');
    if (href) return href;
  }
  return null;
}

const FETCHING_ATTRS = new Set(['src', 'srcset', 'action', 'formaction', 'poster', 'data', 'background', 'imagesrcset']);

/**
 * Absolute URLs in `html` that a browser would REQUEST from an origin other than `origin`:
 * src / srcset / action / formaction / poster / data attributes of any element, href of <link>
 * (stylesheets, preloads, icons, manifests) and url(…) inside style attributes and <style>.
 * Plain links (<a href>) are not requests and are left out. Protocol-relative URLs count.
 */
export function otherOriginUrls(html: string, origin: string): string[] {
  const own = new URL(origin).origin;
  const found = new Set<string>();
  const consider = (raw: string) => {
    const value = raw.trim();
    if (!/^(https?:)?\/\//i.test(value)) return;
    try {
      const url = new URL(value, own);
      if (url.origin !== own) found.add(url.href);
    } catch {
      found.add(value);
    }
  };
  for (const tag of startTags(html)) {
    for (const [name, value] of tag.attrs) {
      if (FETCHING_ATTRS.has(name)) {
        if (name.endsWith('srcset')) value.split(',').forEach((part) => consider(part.trim().split(/\s+/)[0] ?? ''));
        else consider(value);
      } else if (name === 'href' && tag.name === 'link') consider(value);
      else if (name === 'style') for (const m of value.matchAll(/url\(\s*['"]?([^'")]+)/gi)) consider(m[1] ?? '');
    }
  }
  for (const block of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) {
    for (const m of (block[1] ?? '').matchAll(/url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)/gi)) consider(m[1] ?? m[2] ?? '');
  }
  return [...found];
}

/**
 * The border maps of a page (app/_components/border-map.tsx): each `<figure class="border-map">`
 * element, from its start tag to its matching `</figure>` (nested figures counted), as written.
 */
export function borderMapsOf(html: string): string[] {
  const maps: string[] = [];
  const figures = /<figure\b[^>]*>|<\/figure>/gi;
  for (const tag of startTags(html)) {
    if (tag.name !== 'figure' || !(tag.attrs.get('class') ?? '').split(/\s+/).includes('border-map')) continue;
    figures.lastIndex = tag.end;
    let depth = 1;
    for (let m = figures.exec(html); m; m = figures.exec(html)) {
      depth += m[0].startsWith('</') ? -1 : 1;
      if (depth === 0) {
        maps.push(html.slice(tag.start, m.index + m[0].length));
        break;
      }
    }
  }
  return maps;
}
