/**
 * The slice of the browser DOM the page script uses. The project compiles without the DOM
 * library (it is a Node package); declaring what we use keeps the page script type-checked
 * without putting browser globals into every other file's scope.
 */

/** An input or keyboard event. */
export interface DomEvent {
  readonly key?: string;
  readonly shiftKey?: boolean;
  preventDefault(): void;
  stopPropagation(): void;
}

/** `Element.classList`. */
export interface DomClassList {
  add(...tokens: string[]): void;
  remove(...tokens: string[]): void;
  toggle(token: string, force?: boolean): boolean;
  contains(token: string): boolean;
}

/** The element API the page uses (HTML and SVG). */
export interface DomElement {
  textContent: string | null;
  /** Form controls (`<input>`, `<select>`). */
  value: string;
  checked: boolean;
  readonly classList: DomClassList;
  setAttribute(name: string, value: string): void;
  getAttribute(name: string): string | null;
  removeAttribute(name: string): void;
  appendChild(child: DomElement): DomElement;
  replaceChildren(...children: DomElement[]): void;
  addEventListener(type: string, listener: (event: DomEvent) => void): void;
  scrollIntoView(options?: { readonly block?: string; readonly inline?: string }): void;
  focus(): void;
}

/** `document`. */
export interface DomDocument {
  readonly body: DomElement;
  getElementById(id: string): DomElement | null;
  createElement(tag: string): DomElement;
  createElementNS(namespace: string, tag: string): DomElement;
  addEventListener(type: string, listener: (event: DomEvent) => void): void;
}
