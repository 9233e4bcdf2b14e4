/** Charity shop strings, English; same keys as `shop.zh-CN.ts` (checked by the type). */
import type shopZh from './shop.zh-CN'

const shopEn: typeof shopZh = {
  title: 'Charity shop',
}

export default shopEn
