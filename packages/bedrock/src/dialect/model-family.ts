/**
 * Converse is one API over many model families, but a few fields exist for some of them only (Claude's
 * thinking and `top_k`, a tool result's `status`). A model id, an inference profile id (`us.anthropic.…`) or
 * an ARN naming one shows the family; an application inference profile's ARN does not, and counts as neither.
 */
export function isClaude(model: string): boolean {
  return /anthropic|claude/i.test(model);
}

/** Whether the model takes a tool result's `status` (Converse: Claude and Amazon Nova only). */
export function takesToolResultStatus(model: string): boolean {
  return isClaude(model) || /amazon\.nova|nova-/i.test(model);
}
