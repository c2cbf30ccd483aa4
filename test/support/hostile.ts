// Text a person could type that every platform's markup would love to interpret: formatting, tags, entities,
// mentions of a chosen person on both platforms, broadcasts, links with a hidden address, emoji codes and
// line-start syntax. Rendered anywhere, it must show exactly as typed and notify nobody.
export const HOSTILE_LINE =
  '*b* _i_ ~s~ `c` **B** <b>&amp;</b> &lt; [l](https://e.x) (p) <@slack:UVICTIM9|v> <@feishu:ou_victim|v> <@UVICTIM9> <!channel> <!here> @_all @here <at id=all></at> <at id=ou_victim></at> <font color=red>r</font> :joy: :OK: \\*x\\* \\ $x$ |t|';

/** Several lines, some starting with block syntax. */
export const HOSTILE = `# h1\n- li\n> quote\n1. n\n=== \n${HOSTILE_LINE}`;

/** `HOSTILE` repeated to exactly `n` characters (code points). */
export function hostileText(n = 3000): string {
  let s = '';
  while (Array.from(s).length < n) s += `${HOSTILE}\n`;
  return Array.from(s).slice(0, n).join('');
}

/** A short one, for names (a budget line name has at most 120 characters). */
export const HOSTILE_NAME = '*b* _i_ `c` <b>&amp;</b> [l](https://e.x) <@slack:UVICTIM9|v> <!channel> @_all <at id=all></at> :joy:';
