/**
 * The slice of the browser DOM the page script uses. The project compiles without the DOM
 * library (it is a Node package); declaring what we use keeps the page script type-checked
 * without putting browser globals into every other file's scope.
 */

/** An input, keyboard, pointer or wheel event. */
export interface DomEvent {
  readonly key?: string;
  readonly shiftKey?: boolean;
  readonly ctrlKey?: boolean;
  readonly metaKey?: boolean;
  readonly altKey?: boolean;
  /** Pointer and wheel events: position in the window. */
  readonly clientX?: number;
  readonly clientY?: number;
  /** Pointer events: which button (0 = main). */
  readonly button?: number;
  /** Wheel events: scroll amount (positive: away from the user). */
  readonly deltaY?: number;
  /** Where the event happened (its tag name tells a form field from the graph). */
  readonly target?: { readonly tagName?: string } | null;
  preventDefault(): void;
  stopPropagation(): void;
}

/** `Element.getBoundingClientRect()`. */
export interface DomRect {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
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
  addEventListener(type: string, listener: (event: DomEvent) => void, options?: { readonly passive?: boolean }): void;
  getBoundingClientRect(): DomRect;
  focus(options?: { readonly preventScroll?: boolean }): void;
}

/** `document`. */
export interface DomDocument {
  readonly body: DomElement;
  getElementById(id: string): DomElement | null;
  createElement(tag: string): DomElement;
  createElementNS(namespace: string, tag: string): DomElement;
  addEventListener(type: string, listener: (event: DomEvent) => void): void;
  /** The focused element (compared by identity with the page's own elements). */
  readonly activeElement: unknown;
  /** The window, for its `resize` event. */
  readonly defaultView?: { addEventListener(type: string, listener: () => void): void } | null;
}
