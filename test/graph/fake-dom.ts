/**
 * A minimal DOM for running the page script in jest: elements with attributes, classes, text,
 * children and event listeners. Enough to check that the embedded script is self-contained,
 * builds a box per node, and answers clicks; the browser test checks the real rendering.
 */

type Listener = (event: FakeEvent) => void;

/** An event passed to listeners. */
export interface FakeEvent {
  readonly key?: string;
  readonly shiftKey?: boolean;
  readonly clientX?: number;
  readonly clientY?: number;
  readonly button?: number;
  readonly deltaY?: number;
  readonly target?: { readonly tagName?: string } | null;
  preventDefault(): void;
  stopPropagation(): void;
}

/** A DOM element. */
export class FakeElement {
  readonly attributes = new Map<string, string>();
  children: FakeElement[] = [];
  value = '';
  checked = false;
  private text = '';
  private readonly classes = new Set<string>();
  private readonly listeners = new Map<string, Listener[]>();

  constructor(readonly tag: string, readonly namespace?: string) {}

  readonly classList = {
    add: (...tokens: string[]) => tokens.forEach((t) => this.classes.add(t)),
    remove: (...tokens: string[]) => tokens.forEach((t) => this.classes.delete(t)),
    toggle: (token: string, force?: boolean) => {
      const on = force ?? !this.classes.has(token);
      if (on) this.classes.add(token);
      else this.classes.delete(token);
      return on;
    },
    contains: (token: string) => this.classes.has(token),
  };

  get textContent(): string {
    return this.children.length > 0 ? this.children.map((c) => c.textContent).join('') : this.text;
  }

  set textContent(value: string | null) {
    this.children = [];
    this.text = value ?? '';
  }

  setAttribute(name: string, value: string): void {
    if (name === 'class') {
      this.classes.clear();
      for (const c of value.split(/\s+/).filter(Boolean)) this.classes.add(c);
      return;
    }
    this.attributes.set(name, String(value));
  }

  getAttribute(name: string): string | null {
    if (name === 'class') return [...this.classes].join(' ');
    return this.attributes.get(name) ?? null;
  }

  removeAttribute(name: string): void {
    this.attributes.delete(name);
  }

  appendChild(child: FakeElement): FakeElement {
    this.children.push(child);
    return child;
  }

  replaceChildren(...children: FakeElement[]): void {
    this.text = '';
    this.children = children;
  }

  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  /** The size a 1000x800 canvas would have (what pan, zoom and fit read). */
  getBoundingClientRect(): { left: number; top: number; width: number; height: number } {
    return this.tag === 'svg' ? { left: 0, top: 0, width: 1000, height: 800 } : { left: 0, top: 0, width: 0, height: 0 };
  }

  /** Set by {@link focus}: the document's active element. */
  owner?: FakeDocument;

  focus(): void {
    if (this.owner) this.owner.activeElement = this;
  }

  /** Fire an event at this element (no bubbling). */
  dispatch(type: string, init: Partial<Omit<FakeEvent, 'preventDefault' | 'stopPropagation'>> = {}): void {
    const event: FakeEvent = { ...init, preventDefault: () => undefined, stopPropagation: () => undefined };
    for (const l of this.listeners.get(type) ?? []) l(event);
  }

  /** This element and all below it, depth first. */
  *walk(): Generator<FakeElement> {
    yield this;
    for (const c of this.children) yield* c.walk();
  }

  /** Elements below (and including) this one that match `test`. */
  findAll(test: (e: FakeElement) => boolean): FakeElement[] {
    return [...this.walk()].filter(test);
  }
}

/** `document`: a body holding the page's fixed elements by id. */
export class FakeDocument {
  readonly body = new FakeElement('body');
  private readonly listeners = new FakeElement('#document');
  activeElement: FakeElement | null = null;

  constructor(ids: readonly string[], data: string) {
    for (const id of ids) {
      const e = new FakeElement(id === 'graph' ? 'svg' : 'div');
      e.setAttribute('id', id);
      this.body.appendChild(e);
    }
    const script = new FakeElement('script');
    script.setAttribute('id', 'netkit-data');
    script.textContent = data;
    this.body.appendChild(script);
  }

  getElementById(id: string): FakeElement | null {
    return this.body.findAll((e) => e.getAttribute('id') === id)[0] ?? null;
  }

  createElement(tag: string): FakeElement {
    const e = new FakeElement(tag);
    e.owner = this;
    return e;
  }

  createElementNS(namespace: string, tag: string): FakeElement {
    const e = new FakeElement(tag, namespace);
    e.owner = this;
    return e;
  }

  addEventListener(type: string, listener: Listener): void {
    this.listeners.addEventListener(type, listener);
  }

  /** Fire a document-level event. */
  dispatch(type: string, init: Partial<Omit<FakeEvent, 'preventDefault' | 'stopPropagation'>> = {}): void {
    this.listeners.dispatch(type, init);
  }
}
