/**
 * The few DOM members the UI tests' page-side code uses, typed here because this process's
 * TypeScript has no DOM library. Inside page.evaluate, reach the page's document with
 * `(globalThis as unknown as PageGlobals).document` (the function runs in the page, so it cannot
 * call helpers from this file).
 */
export interface PageRect {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface PageElement {
  getBoundingClientRect(): PageRect;
  getAttribute(name: string): string | null;
  matches(selector: string): boolean;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  closest(selector: string): PageElement | null;
  textContent: string | null;
  innerText: string;
  className: string;
  clientWidth: number;
  scrollWidth: number;
}

export interface PageDocument extends PageElement {
  documentElement: PageElement;
  activeElement: PageElement | null;
  getElementById(id: string): PageElement | null;
}

export interface PageGlobals {
  document: PageDocument;
}
