import { describe, expect, it } from 'vitest';
import { borderMapsOf, decodeEntities, formsOf, nextPageHref, otherOriginUrls, scriptsOf } from './html';

const ORIGIN = 'http://127.0.0.1:3150';

describe('scriptsOf', () => {
  it('lists external scripts once each and inline script bodies, skipping JSON data blocks', () => {
    const html = `<head><script src="/_next/static/chunks/a.js" async=""></script><script src="/_next/static/chunks/b.js" nonce="x"></script>
      <script src="/_next/static/chunks/a.js"></script></head><body><script nonce="x">self.__next_f.push([1,"x"])</script>
      <script type="application/ld+json">{"a":1}</script><script type="module" src="/m.js"></script></body>`;
    const { external, inline } = scriptsOf(html);
    expect(external).toEqual(['/_next/static/chunks/a.js', '/_next/static/chunks/b.js', '/m.js']);
    expect(inline).toEqual(['self.__next_f.push([1,"x"])']);
  });
});

describe('formsOf', () => {
  it('finds a Server Action form with its hidden fields, decoded, and its control names', () => {
    const html = `<form action="" encType="multipart/form-data" method="POST">
      <input type="hidden" name="$ACTION_REF_1"/><input type="hidden" name="$ACTION_1:0" value="{&quot;id&quot;:&quot;7f00&quot;,&quot;bound&quot;:&quot;$@1&quot;}"/>
      <input type="hidden" name="clientId" value="0b9f3c1e-5d5e-4f53-9a63-1d2c7a0e0001">
      <label>Title <input name="title" maxLength="120"></label><textarea name="narrative"></textarea>
      <select name="timeZone"><option value="Asia/Pyongyang">Pyongyang</option></select>
      <button name="intent" value="submit">Submit</button></form><form action="/sign-out" method="post"><button>Sign out</button></form>`;
    const [form, signOut] = formsOf(html);
    expect(form?.attrs.get('action')).toBe('');
    expect(form?.hidden).toEqual([
      ['$ACTION_REF_1', ''],
      ['$ACTION_1:0', '{"id":"7f00","bound":"$@1"}'],
      ['clientId', '0b9f3c1e-5d5e-4f53-9a63-1d2c7a0e0001'],
    ]);
    expect([...(form?.controlNames ?? [])].sort()).toEqual(['$ACTION_1:0', '$ACTION_REF_1', 'clientId', 'intent', 'narrative', 'timeZone', 'title']);
    expect(signOut?.attrs.get('action')).toBe('/sign-out');
  });
});

describe('nextPageHref', () => {
  it('prefers rel="next" and decodes the href', () => {
    const html = `<a href="/editor/queue?page=1">Previous</a><a rel="next" href="/editor/queue?after=171_5&amp;status=submitted">Older reports</a>`;
    expect(nextPageHref(html)).toBe('/editor/queue?after=171_5&status=submitted');
  });

  it('falls back to a link whose text says Next, in English or Korean', () => {
    expect(nextPageHref('<nav><a href="/q?c=1">Previous</a> <a class="x" href="/q?c=2"><span>Next</span> →</a></nav>')).toBe('/q?c=2');
    expect(nextPageHref('<a href="/q?c=3">다음 페이지</a>')).toBe('/q?c=3');
  });

  it('is null on the last page', () => {
    expect(nextPageHref('<a href="/q?c=1">Previous</a><a href="/reports/abc">Steps for editors</a>')).toBeNull();
  });
});

describe('otherOriginUrls', () => {
  it('finds what a browser would fetch from elsewhere, not plain links or same-origin URLs', () => {
    const html = `<link rel="stylesheet" href="https://fonts.example.com/css"><link rel="icon" href="/favicon.ico">
      <img src="//cdn.example.net/a.png" srcset="/b.png 1x, https://img.example.org/b@2x.png 2x">
      <a href="https://www.example.com/about">About</a><script src="${ORIGIN}/_next/x.js"></script>
      <form action="https://collect.example.com/post"></form><div style="background:url('https://bg.example.com/i.png')"></div>
      <style>@import "https://css.example.com/x.css";</style>`;
    expect(otherOriginUrls(html, ORIGIN).sort()).toEqual([
      'http://cdn.example.net/a.png',
      'https://bg.example.com/i.png',
      'https://collect.example.com/post',
      'https://css.example.com/x.css',
      'https://fonts.example.com/css',
      'https://img.example.org/b@2x.png',
    ]);
  });

  it('finds nothing in a page that only uses its own origin', () => {
    expect(otherOriginUrls(`<script src="/_next/a.js"></script><img src="${ORIGIN}/logo.png"><a href="https://example.com">x</a>`, ORIGIN)).toEqual([]);
  });
});

describe('decodeEntities', () => {
  it('decodes named and numeric entities', () => {
    expect(decodeEntities('a&amp;b &lt;c&gt; &quot;d&quot; &#39;e&#x27; &#54620;')).toBe(`a&b <c> "d" 'e' 한`);
  });
});

describe('borderMapsOf', () => {
  it('cuts out each border map figure whole, nested figures included, and nothing else', () => {
    const map = '<figure class="border-map" style="margin:1rem 0"><svg role="img"><path d="M0 0"/></svg><figure><figcaption>inner</figcaption></figure><figcaption>Map</figcaption></figure>';
    const html = `<main><figure class="chart"><svg></svg></figure>${map}<p>after</p>${map.replace('Map', 'Second')}</main>`;
    expect(borderMapsOf(html)).toEqual([map, map.replace('Map', 'Second')]);
    expect(borderMapsOf('<figure class="chart"></figure>')).toEqual([]);
  });
});
