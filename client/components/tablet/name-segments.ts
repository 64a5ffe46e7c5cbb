/**
 * A region name cut where a line may break without splitting a word: after the place's own name
 * (…村, …社区, …镇, …街道, …) and before an ordinal part (第3网格). Chinese has no spaces, so the
 * browser would otherwise break between any two characters: 依格孜艾日 / 克村第3网格.
 */
const PLACE_END = /^(.+?(?:社区|街道|矿区|村|队|连|镇|乡|场|团))(第.+)$/

export function nameSegments(name: string): string[] {
  const m = PLACE_END.exec(name)
  return m ? [m[1]!, m[2]!] : [name]
}
