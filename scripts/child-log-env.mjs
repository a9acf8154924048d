// What scripts/start.mjs adds to its children's environment for their logs. The children write
// into a pipe to start.mjs, so a child cannot see whether a person is watching: start.mjs looks
// at its own stdout, the terminal the person sees, and says so with LOG_FORMAT.

/**
 * LOG_FORMAT=pretty (and FORCE_COLOR=1, for the level's colour) when `stdout` is a terminal,
 * NODE_ENV is not production and LOG_FORMAT is not set; otherwise nothing: the children decide
 * by the same rules and, writing into a pipe, write JSON lines.
 */
export function childLogEnv(env, stdout) {
  if (env.LOG_FORMAT || env.NODE_ENV === 'production' || !stdout.isTTY) return {};
  return { LOG_FORMAT: 'pretty', ...(env.NO_COLOR || env.FORCE_COLOR !== undefined ? {} : { FORCE_COLOR: '1' }) };
}
