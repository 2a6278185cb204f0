/**
 * The list with the item at `index` moved one place up (-1) or down (+1); the same list when the
 * move would leave the ends, so a double click on "up" at the top is harmless.
 */
export function moveItem<T>(items: readonly T[], index: number, delta: -1 | 1): readonly T[] {
  const target = index + delta;
  if (index < 0 || index >= items.length || target < 0 || target >= items.length) return items;
  const moved = [...items];
  [moved[index], moved[target]] = [moved[target]!, moved[index]!];
  return moved;
}
