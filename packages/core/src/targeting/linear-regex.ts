import { CONDITION_LIMITS } from './limits.js';

// A `$regex` runs on the visitor's page, so a backtracking engine (JavaScript's RegExp) lets one
// pattern such as `(a|aa)+$` or `\w+\d+\w+$` freeze it, and no shape check finds every such pattern.
// This matcher compiles the pattern to a Thompson NFA and simulates every thread in lock step
// (Pike's VM): each input character is read once against at most one thread per instruction, so a
// test costs at most (input length + 1) × program size steps, whatever the pattern. It keeps
// RegExp's meaning (without flags, or with `i`) for the syntax below and refuses what an NFA cannot
// do (backreferences, lookaround): such a pattern never matches, and the linter says so at publish.

/** Why a pattern cannot run on the linear matcher. */
export type LinearRegexProblem = 'invalid' | 'too_long' | 'unsupported' | 'too_complex';

/** A compiled pattern: `test` is RegExp#test in linear time. */
export interface LinearRegex {
  readonly test: (text: string) => boolean;
  /** Instructions in the program: the per-character work bound. */
  readonly size: number;
}

/** The compiled pattern, or why there is none. */
export type LinearRegexResult =
  { readonly ok: true; readonly regex: LinearRegex } | { readonly ok: false; readonly problem: LinearRegexProblem };

type CharTest = (code: number) => boolean;
type AssertKind = 'start' | 'end' | 'boundary' | 'not_boundary';

type Node =
  | { readonly type: 'char'; readonly test: CharTest }
  | { readonly type: 'assert'; readonly kind: AssertKind }
  | { readonly type: 'seq'; readonly items: readonly Node[] }
  | { readonly type: 'alt'; readonly items: readonly Node[] }
  | { readonly type: 'repeat'; readonly node: Node; readonly min: number; readonly max: number };

type Instruction =
  | { op: 'char'; test: CharTest }
  | { op: 'split'; x: number; y: number }
  | { op: 'jump'; x: number }
  | { op: 'assert'; kind: AssertKind }
  | { op: 'match' };

class Refused {
  constructor(readonly problem: LinearRegexProblem) {}
}

const isWordCode: CharTest = (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

class Parser {
  private at = 0;

  constructor(
    private readonly source: string,
    private readonly flags: string,
  ) {}

  parse(): Node {
    const node = this.alternation();
    if (this.at < this.source.length) throw new Refused('invalid');
    return node;
  }

  private peek(): string | undefined {
    return this.source[this.at];
  }

  private alternation(): Node {
    const items = [this.sequence()];
    while (this.peek() === '|') {
      this.at++;
      items.push(this.sequence());
    }
    return items.length === 1 ? (items[0] as Node) : { type: 'alt', items };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.at < this.source.length && this.peek() !== '|' && this.peek() !== ')') items.push(this.quantified());
    return { type: 'seq', items };
  }

  private quantified(): Node {
    const node = this.atom();
    const rest = this.source.slice(this.at);
    // A `{` that does not form a count is a literal (RegExp's web-compatibility rule); lazy or
    // greedy, a test's answer is the same, so a trailing `?` is skipped.
    const quantifier = /^(?:([*+?])|\{(\d+)(,(\d*))?\})\??/.exec(rest);
    if (quantifier === null) return node;
    this.at += quantifier[0].length;
    const [, symbol, low, comma, high] = quantifier;
    const min = symbol === undefined ? Number(low) : symbol === '+' ? 1 : 0;
    const max =
      symbol === '?' ? 1 : symbol !== undefined || high === '' ? Infinity : comma === undefined ? min : Number(high);
    // A count beyond the program budget could never compile; refuse before expanding it.
    const limit = CONDITION_LIMITS.maxRegexProgram;
    if (min > limit || (max !== Infinity && max > limit)) throw new Refused('too_complex');
    return { type: 'repeat', node, min, max };
  }

  private atom(): Node {
    const start = this.at;
    const char = this.source[this.at++] as string;
    if (char === '(') return this.group();
    if (char === '^') return { type: 'assert', kind: 'start' };
    if (char === '$') return { type: 'assert', kind: 'end' };
    if (char === '[') {
      // The class ends at the first unescaped `]` (`[]` is the empty class, `[^]` any character).
      if (this.peek() === '^') this.at++;
      while (this.peek() !== ']') {
        if (this.at >= this.source.length) throw new Refused('invalid');
        this.at += this.peek() === '\\' ? 2 : 1;
      }
      this.at++;
    } else if (char === '\\') {
      const escaped = this.source[this.at++] ?? '';
      if (escaped === 'b' || escaped === 'B')
        return { type: 'assert', kind: escaped === 'b' ? 'boundary' : 'not_boundary' };
      // Backreferences (`\1`, `\k<name>`) and legacy octal need more than an NFA.
      if (/[1-9k]/.test(escaped) || (escaped === '0' && /\d/.test(this.peek() ?? ''))) throw new Refused('unsupported');
      this.at += escaped === 'x' ? 2 : escaped === 'u' ? 4 : escaped === 'c' ? 1 : 0;
    }
    // One character class, escape or literal: RegExp answers it on one character in constant time,
    // with RegExp's own meaning of classes, escapes and case folding.
    const single = new RegExp(`^(?:${this.source.slice(start, this.at)})$`, this.flags);
    return { type: 'char', test: (code) => single.test(String.fromCharCode(code)) };
  }

  private group(): Node {
    const prefix = /^(?:\?(?::|<[^>=!]+>))?/.exec(this.source.slice(this.at)) as RegExpExecArray;
    if (prefix[0] === '' && this.peek() === '?') throw new Refused('unsupported');
    this.at += prefix[0].length;
    const node = this.alternation();
    if (this.peek() !== ')') throw new Refused('invalid');
    this.at++;
    return node;
  }
}

class Emitter {
  readonly program: Instruction[] = [];

  emit(instruction: Instruction): number {
    if (this.program.length >= CONDITION_LIMITS.maxRegexProgram) throw new Refused('too_complex');
    this.program.push(instruction);
    return this.program.length - 1;
  }

  node(node: Node): void {
    switch (node.type) {
      case 'char':
        this.emit({ op: 'char', test: node.test });
        return;
      case 'assert':
        this.emit({ op: 'assert', kind: node.kind });
        return;
      case 'seq':
        for (const item of node.items) this.node(item);
        return;
      case 'alt': {
        // split L1, next; L1: first; jump end; next: split L2, ... ; last
        const jumps: { op: 'jump'; x: number }[] = [];
        node.items.forEach((item, index) => {
          if (index === node.items.length - 1) {
            this.node(item);
            return;
          }
          const split = { op: 'split', x: 0, y: 0 } as { op: 'split'; x: number; y: number };
          split.x = this.emit(split) + 1;
          this.node(item);
          const jump = { op: 'jump', x: 0 } as { op: 'jump'; x: number };
          this.emit(jump);
          jumps.push(jump);
          split.y = this.program.length;
        });
        for (const jump of jumps) jump.x = this.program.length;
        return;
      }
      case 'repeat':
        this.repeat(node.node, node.min, node.max);
    }
  }

  private repeat(node: Node, min: number, max: number): void {
    for (let i = 0; i < min; i++) this.node(node);
    if (max === Infinity) {
      const split = { op: 'split', x: 0, y: 0 } as { op: 'split'; x: number; y: number };
      const loop = this.emit(split);
      split.x = loop + 1;
      this.node(node);
      this.emit({ op: 'jump', x: loop });
      split.y = this.program.length;
      return;
    }
    const splits: { op: 'split'; x: number; y: number }[] = [];
    for (let i = min; i < max; i++) {
      const split = { op: 'split', x: 0, y: 0 } as { op: 'split'; x: number; y: number };
      split.x = this.emit(split) + 1;
      splits.push(split);
      this.node(node);
    }
    for (const split of splits) split.y = this.program.length;
  }
}

/** Runs the program over `text`; `onStep` (tests only) counts each thread step. */
function run(program: readonly Instruction[], text: string, onStep?: () => void): boolean {
  const size = program.length;
  const marks = new Uint32Array(size);
  let generation = 0;
  let current: number[] = [];
  let next: number[] = [];
  const stack: number[] = [];

  const isWordAt = (index: number): boolean => index >= 0 && index < text.length && isWordCode(text.charCodeAt(index));

  // Follows jumps, splits and assertions from `start` at position `at`; true when it reaches a match.
  const add = (list: number[], start: number, at: number): boolean => {
    stack.push(start);
    while (stack.length > 0) {
      const pc = stack.pop() as number;
      if (marks[pc] === generation) continue;
      marks[pc] = generation;
      onStep?.();
      const instruction = program[pc] as Instruction;
      switch (instruction.op) {
        case 'match':
          stack.length = 0;
          return true;
        case 'char':
          list.push(pc);
          break;
        case 'jump':
          stack.push(instruction.x);
          break;
        case 'split':
          stack.push(instruction.y, instruction.x);
          break;
        case 'assert': {
          const holds =
            instruction.kind === 'start'
              ? at === 0
              : instruction.kind === 'end'
                ? at === text.length
                : (isWordAt(at - 1) !== isWordAt(at)) === (instruction.kind === 'boundary');
          if (holds) stack.push(pc + 1);
        }
      }
    }
    return false;
  };

  generation++;
  if (add(current, 0, 0)) return true;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    generation++;
    next.length = 0;
    for (const pc of current) {
      onStep?.();
      const instruction = program[pc] as { op: 'char'; test: CharTest };
      if (instruction.test(code) && add(next, pc + 1, at + 1)) return true;
    }
    // A match may start at any position, as RegExp#test searches.
    if (add(next, 0, at + 1)) return true;
    [current, next] = [next, current];
  }
  return false;
}

/**
 * Compiles a `$regex` pattern (RegExp syntax, no flags or `i`) to a matcher whose work grows
 * linearly with the input: at most (length + 1) × `size` steps. Refuses invalid patterns, patterns
 * longer than `CONDITION_LIMITS.maxRegexLength`, backreferences and lookaround ('unsupported'), and
 * programs beyond `CONDITION_LIMITS.maxRegexProgram` instructions ('too_complex').
 *
 * @example compileLinearRegex('(a|aa)+$').ok // true: no input can make it slow
 */
export function compileLinearRegex(pattern: string, insensitive = false): LinearRegexResult {
  if (pattern.length > CONDITION_LIMITS.maxRegexLength) return { ok: false, problem: 'too_long' };
  try {
    new RegExp(pattern);
  } catch {
    return { ok: false, problem: 'invalid' };
  }
  try {
    const emitter = new Emitter();
    emitter.node(new Parser(pattern, insensitive ? 'i' : '').parse());
    emitter.emit({ op: 'match' });
    const program = emitter.program;
    return { ok: true, regex: { test: (text) => run(program, text), size: program.length } };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, problem: error.problem };
    throw error;
  }
}

/** Test-only: the steps one test takes, to prove the linear bound without a clock. */
export function countLinearRegexSteps(pattern: string, text: string, insensitive = false): number {
  const result = compileLinearRegex(pattern, insensitive);
  if (!result.ok) return 0;
  const emitter = new Emitter();
  emitter.node(new Parser(pattern, insensitive ? 'i' : '').parse());
  emitter.emit({ op: 'match' });
  let steps = 0;
  run(emitter.program, text, () => steps++);
  return steps;
}
