/**
 * Checks of message components as Discord documents them: top-level action rows of at most five
 * buttons or one select menu, unique custom ids, and the rules of each button style.
 */
import { DISCORD_LIMITS, isObj, type Issues, type Obj } from './discord-limits.js';

const BUTTON = 2;
const SELECTS = new Set([3, 5, 6, 7, 8]);

function checkCustomId(path: string, value: unknown, seen: Set<string>, issues: Issues): void {
  issues.text(path, value, DISCORD_LIMITS.customId, { required: true });
  if (typeof value === 'string') {
    if (seen.has(value)) issues.add(path, 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
    seen.add(value);
  }
}

function checkButton(button: Obj, path: string, seen: Set<string>, issues: Issues): void {
  const style = button.style;
  if (typeof style !== 'number' || !Number.isInteger(style) || style < 1 || style > 6) {
    return issues.add(`${path}.style`, 'BASE_TYPE_CHOICES', 'Button style must be 1..6');
  }
  issues.text(`${path}.label`, button.label, DISCORD_LIMITS.buttonLabel);
  if (style === 5) {
    issues.url(`${path}.url`, button.url, { required: true });
    if (button.custom_id !== undefined) issues.add(`${path}.custom_id`, 'BUTTON_COMPONENT_LINK_HAS_CUSTOM_ID', 'A link button cannot have a custom_id');
  } else if (style === 6) {
    if (typeof button.sku_id !== 'string') issues.add(`${path}.sku_id`, 'BASE_TYPE_REQUIRED', 'A premium button needs sku_id');
    if (button.custom_id !== undefined || button.url !== undefined) issues.add(path, 'BUTTON_COMPONENT_INVALID', 'A premium button has no custom_id or url');
    return;
  } else {
    checkCustomId(`${path}.custom_id`, button.custom_id, seen, issues);
    if (button.url !== undefined) issues.add(`${path}.url`, 'BUTTON_COMPONENT_NON_LINK_HAS_URL', 'Only link buttons (style 5) can have a url');
  }
  if (button.label === undefined && button.emoji === undefined) issues.add(path, 'BUTTON_COMPONENT_NO_LABEL', 'A button needs a label or an emoji');
}

/** Adds the problems of a message's `components` (action rows) to `issues`. */
export function checkComponents(components: unknown, issues: Issues): void {
  if (!Array.isArray(components)) return issues.add('components', 'LIST_TYPE_CONVERT', 'Must be an array');
  if (components.length > DISCORD_LIMITS.actionRows) issues.add('components', 'BASE_TYPE_MAX_LENGTH', `Must be ${DISCORD_LIMITS.actionRows} or fewer in length (got ${components.length})`);
  const seen = new Set<string>();
  components.forEach((row: unknown, r) => {
    const rowPath = `components[${r}]`;
    if (!isObj(row) || row.type !== 1) return issues.add(rowPath, 'UNION_TYPE_CHOICES', 'Top-level components must be action rows (type 1)');
    if (!Array.isArray(row.components) || row.components.length === 0) return issues.add(`${rowPath}.components`, 'BASE_TYPE_MIN_LENGTH', 'An action row needs 1 or more components');
    if (row.components.length > DISCORD_LIMITS.rowComponents) issues.add(`${rowPath}.components`, 'BASE_TYPE_MAX_LENGTH', `Must be ${DISCORD_LIMITS.rowComponents} or fewer in length (got ${row.components.length})`);
    row.components.forEach((component: unknown, c) => {
      const path = `${rowPath}.components[${c}]`;
      if (!isObj(component)) return issues.add(path, 'MODEL_TYPE_CONVERT', 'Must be a component object');
      if (component.type === BUTTON) return checkButton(component, path, seen, issues);
      if (typeof component.type === 'number' && SELECTS.has(component.type)) {
        checkCustomId(`${path}.custom_id`, component.custom_id, seen, issues);
        if ((row.components as unknown[]).length > 1) issues.add(path, 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', 'A select menu must be alone in its action row');
        return;
      }
      issues.add(`${path}.type`, 'UNION_TYPE_CHOICES', 'Not a component allowed in an action row');
    });
  });
}
