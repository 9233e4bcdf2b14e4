/**
 * The Vant components this app uses, registered globally with their styles. Listing them here
 * (instead of importing the whole library) keeps the bundle to what is used; Vant's own type
 * declarations make `<van-button>` etc. type-checked in templates. The tab bar keeps only Vant's
 * styles (components/AppTabbar.vue).
 */
import type { App } from 'vue'
import {
  ActionSheet,
  BackTop,
  Button,
  Cell,
  CellGroup,
  Checkbox,
  CheckboxGroup,
  Field,
  Grid,
  GridItem,
  Icon,
  List,
  Loading,
  Radio,
  RadioGroup,
  Switch,
  Tag,
  Uploader,
} from 'vant'
import 'vant/es/action-sheet/style/index'
import 'vant/es/back-top/style/index'
import 'vant/es/button/style/index'
import 'vant/es/cell/style/index'
import 'vant/es/cell-group/style/index'
import 'vant/es/checkbox/style/index'
import 'vant/es/checkbox-group/style/index'
import 'vant/es/field/style/index'
import 'vant/es/grid/style/index'
import 'vant/es/grid-item/style/index'
import 'vant/es/icon/style/index'
import 'vant/es/list/style/index'
import 'vant/es/loading/style/index'
import 'vant/es/radio/style/index'
import 'vant/es/radio-group/style/index'
import 'vant/es/switch/style/index'
import 'vant/es/tabbar/style/index'
import 'vant/es/tabbar-item/style/index'
import 'vant/es/tag/style/index'
import 'vant/es/toast/style/index'
import 'vant/es/uploader/style/index'

const components = [
  ActionSheet,
  BackTop,
  Button,
  Cell,
  CellGroup,
  Checkbox,
  CheckboxGroup,
  Field,
  Grid,
  GridItem,
  Icon,
  List,
  Loading,
  Radio,
  RadioGroup,
  Switch,
  Tag,
  Uploader,
]

export function installVant(app: App): void {
  for (const component of components) {
    app.use(component)
  }
}
