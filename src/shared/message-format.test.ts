import { describe, expect, it } from 'vitest';
import { formatMessage, plainText, type FormatNode } from './message-format';

const p = (...children: FormatNode[]): FormatNode => ({ tag: 'p', children });
const a = (href: string, ...children: FormatNode[]): FormatNode => ({ tag: 'a', href, children: children.length ? children : [href] });
const b = (...children: FormatNode[]): FormatNode => ({ tag: 'strong', children });
const br: FormatNode = { tag: 'br', children: [] };
const li = (...children: FormatNode[]): FormatNode => ({ tag: 'li', children });

/** Every href in a tree. */
const hrefs = (nodes: FormatNode[]): string[] => nodes.flatMap((n) => (typeof n === 'string' ? [] : [...(n.href ? [n.href] : []), ...hrefs(n.children)]));

describe('formatMessage', () => {
  it('keeps plain text as one paragraph', () => {
    expect(formatMessage('Hello there')).toEqual([p('Hello there')]);
  });

  it('joins lines with line breaks and splits paragraphs at blank lines', () => {
    expect(formatMessage('one\ntwo\n\nthree')).toEqual([p('one', br, 'two'), p('three')]);
  });

  it('makes **bold**', () => {
    expect(formatMessage('It is **open** today')).toEqual([p('It is ', b('open'), ' today')]);
  });

  it('links bare http, https and mailto addresses, without trailing punctuation', () => {
    expect(formatMessage('See https://shop.example/a?b=1. Or http://x.example, or mailto:info@shop.example!')).toEqual([
      p('See ', a('https://shop.example/a?b=1'), '. Or ', a('http://x.example'), ', or ', a('mailto:info@shop.example'), '!'),
    ]);
  });

  it('links [label](url) with a safe url, bold allowed in the label, no link within a link', () => {
    expect(formatMessage('[Our **menu**](https://shop.example/menu)')).toEqual([p(a('https://shop.example/menu', 'Our ', b('menu')))]);
    expect(formatMessage('[https://a.example](https://b.example)')).toEqual([p(a('https://b.example', 'https://a.example'))]);
  });

  it('makes bullet and numbered lists', () => {
    expect(formatMessage('Options:\n- one\n* **two**\n• three\n1. first\n2) second\nafter')).toEqual([
      p('Options:'),
      { tag: 'ul', children: [li('one'), li(b('two')), li('three')] },
      { tag: 'ol', children: [li('first'), li('second')] },
      p('after'),
    ]);
  });

  it('leaves HTML as text', () => {
    const tree = formatMessage('<img src=x onerror="alert(1)"> <script>alert(1)</script> <a href="javascript:alert(1)">x</a>');
    expect(tree).toEqual([p('<img src=x onerror="alert(1)"> <script>alert(1)</script> <a href="javascript:alert(1)">x</a>')]);
  });

  it('never links javascript:, data: or other schemes', () => {
    for (const text of ['[click](javascript:alert(1))', '[x](JaVaScRiPt:alert(1))', '[x](data:text/html;base64,PHNjcmlwdD4=)', 'javascript:alert(1)', '[x](vbscript:msgbox)', '[x](//evil.example)', '[x](https://a.example"onmouseover="alert(1))']) {
      const tree = formatMessage(text);
      expect(hrefs(tree), text).toEqual([]);
      expect(plainText(tree), text).toBe(text);
    }
  });

  it('keeps every href http(s) or mailto, whatever the input', () => {
    const hostile = '**[a](https://ok.example)** [**b**](mailto:x@y.example) https://t.example/"><img onerror=1> [c](https://x.example/<b>)';
    for (const h of hrefs(formatMessage(hostile))) expect(h).toMatch(/^(https?:\/\/|mailto:)[^\s<>"]+$/);
  });

  it('does not nest bold, and leaves unclosed markers as text', () => {
    expect(formatMessage('**a **b** c**')).toEqual([p(b('a **b'), ' c**')]);
    expect(formatMessage('** not bold** and **open')).toEqual([p('** not bold** and **open')]);
    expect(formatMessage('****')).toEqual([p('****')]);
  });

  it('keeps the text of every message (nothing lost, nothing added)', () => {
    const text = 'Hi **there**, see https://a.example.\nThanks';
    expect(plainText(formatMessage(text))).toBe('Hi there, see https://a.example.\nThanks');
  });

  it('handles long hostile input in linear time', () => {
    const long = '**'.repeat(5000) + '['.repeat(5000) + 'https://'.repeat(2000);
    const started = performance.now();
    formatMessage(long);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
