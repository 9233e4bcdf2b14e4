/** Charity shop (公益商城) strings, zh-CN (the schema for `shop.en.ts`); mounted as `shop` in zh-CN.ts. */
const shopZh = {
  title: '公益商城',
}

export default shopZh
