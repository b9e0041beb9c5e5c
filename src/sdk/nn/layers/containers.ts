// Sequential, ModuleList, ModuleDict.
import { Module } from '../module.js';

export class Sequential extends Module {
  constructor(...modules: Module[]) {
    super();
    modules.forEach((m, i) => ((this as any)[i] = m));
  }
  get length(): number {
    return this.children().length;
  }
  at(i: number): Module {
    return this.children().at(i)!;
  }
  forward(x: any): any {
    for (const m of this.children()) x = m.forward(x);
    return x;
  }
}

export class ModuleList extends Module {
  constructor(modules: Module[] = []) {
    super();
    modules.forEach((m) => this.append(m));
  }
  get length(): number {
    return this.children().length;
  }
  at(i: number): Module {
    return this.children().at(i)!;
  }
  append(m: Module): this {
    (this as any)[this.length] = m;
    return this;
  }
  [Symbol.iterator](): Iterator<Module> {
    return this.children()[Symbol.iterator]();
  }
}

export class ModuleDict extends Module {
  constructor(modules: Record<string, Module> = {}) {
    super();
    Object.assign(this, modules);
  }
  get(key: string): Module | undefined {
    return (this as any)[key];
  }
  set(key: string, m: Module): this {
    (this as any)[key] = m;
    return this;
  }
  keys(): string[] {
    return [...this.namedChildren()].map(([k]) => k);
  }
}
