// React Native traces: Hermes (with and without `address at`), JSC on iOS, Android release
// bundles whose frames have no space before `(`, Expo dev bundles.
import { lines, type CorpusTrace } from './types';

const b = 'index.android.bundle';
const dev = 'http://192.168.1.10:8081/index.bundle?platform=ios&dev=true&minify=false';

export const reactNativeTraces: CorpusTrace[] = [
  {
    family: 'react-native', name: 'Hermes release: address at index.android.bundle',
    text: lines('Error: lets throw!', `    at onPress (address at ${b}:1:452701)`, `    at anonymous (address at ${b}:1:224280)`, `    at _performSideEffectsForTransition (address at ${b}:1:230843)`, '    at _receiveSignal (native)', '    at apply (native)', `    at b (address at ${b}:1:74037)`, '    at forEach (native)'),
    exceptions: [{ type: 'Error', value: 'lets throw!', frames: [['onPress', b, 1, 452701, true], ['anonymous', b, 1, 224280], ['_performSideEffectsForTransition', b, 1, 230843], ['_receiveSignal', 'native', undefined, undefined, false], ['apply', 'native', undefined, undefined, false], ['b', b, 1, 74037], ['forEach', 'native', undefined, undefined, false]] }],
  },
  {
    family: 'react-native', name: 'JSC Android release: no space before (',
    text: lines('Error: test', `    at Object.onPress(${b}:2342:3773)`, `    at s.touchableHandlePress(${b}:214:2048)`, `    at s._receiveSignal(${b}:214:1113)`, `    at s.touchableHandleResponderRelease(${b}:214:449)`),
    exceptions: [{ frames: [['Object.onPress', b, 2342, 3773, true], ['s.touchableHandlePress', b, 214, 2048], ['s._receiveSignal', b, 214, 1113], ['s.touchableHandleResponderRelease', b, 214, 449]] }],
  },
  {
    family: 'react-native', name: 'Android release with [native code] and (native)',
    text: lines('Error: test', `    at value (${b}:12:1917)`, `    at onPress (${b}:12:2336)`, `    at touchableHandlePress (${b}:258:1497)`, '    at [native code]', `    at touchableHandleRelease (${b}:252:9900)`, '    at apply (native)'),
    exceptions: [{ frames: [['value', b, 12, 1917], ['onPress', b, 12, 2336], ['touchableHandlePress', b, 258, 1497], ['?', '[native code]', undefined, undefined, false], ['touchableHandleRelease', b, 252, 9900], ['apply', 'native', undefined, undefined, false]] }],
  },
  {
    family: 'react-native', name: 'Android dev: absolute source paths with no space before (',
    text: lines('Error: test', '    at render(/home/username/sample-workspace/sampleapp.collect.react/src/components/GpsMonitorScene.js:78:24)', '    at _renderValidatedComponentWithoutOwnerOrContext(/home/username/sample-workspace/sampleapp.collect.react/node_modules/react-native/Libraries/Renderer/src/renderers/shared/stack/reconciler/ReactCompositeComponent.js:1050:29)'),
    exceptions: [{ frames: [['render', '/home/username/sample-workspace/sampleapp.collect.react/src/components/GpsMonitorScene.js', 78, 24, true], ['_renderValidatedComponentWithoutOwnerOrContext', '/home/username/sample-workspace/sampleapp.collect.react/node_modules/react-native/Libraries/Renderer/src/renderers/shared/stack/reconciler/ReactCompositeComponent.js', 1050, 29, false]] }],
  },
  {
    family: 'react-native', name: 'Hermes dev with the Metro bundle URL',
    text: lines("TypeError: Cannot read property 'name' of undefined", `    at ProfileScreen (${dev}:120044:38)`, `    at renderWithHooks (${dev}:60211:33)`),
    exceptions: [{ frames: [['ProfileScreen', dev, 120044, 38, true], ['renderWithHooks', dev, 60211, 33]] }],
  },
  {
    family: 'react-native', name: 'Hermes InternalBytecode and ?anon_ names',
    text: lines('Error: x', `    at ?anon_0_ (address at ${b}:1:1234)`, '    at tryCallOne (InternalBytecode.js:53:16)', '    at anonymous (InternalBytecode.js:139:27)'),
    exceptions: [{ frames: [['?anon_0_', b, 1, 1234, true], ['tryCallOne', 'InternalBytecode.js', 53, 16, false], ['anonymous', 'InternalBytecode.js', 139, 27, false]] }],
  },
  {
    family: 'react-native', name: 'Hermes with an absolute on-device bundle path',
    text: lines('Error: x', '    at handler (address at /data/user/0/com.shop/files/.expo-internal/bundle-1.hbc:1:9911)', '    at apply (native)'),
    exceptions: [{ frames: [['handler', '/data/user/0/com.shop/files/.expo-internal/bundle-1.hbc', 1, 9911, true], ['apply', 'native', undefined, undefined, false]] }],
  },
  {
    family: 'react-native', name: 'iOS JSC gecko-style frames against main.jsbundle',
    text: lines('onPress@main.jsbundle:1:452701', 'touchableHandlePress@main.jsbundle:1:225012', 'value@[native code]'),
    exceptions: [{ frames: [['onPress', 'main.jsbundle', 1, 452701, true], ['touchableHandlePress', 'main.jsbundle', 1, 225012], ['value', '[native code]', undefined, undefined, false]] }],
  },
  {
    family: 'react-native', name: 'iOS JSC dev: Metro bundle URL with @',
    text: lines('onPress@http://localhost:8081/index.ios.bundle?platform=ios&dev=true:12345:67', 'value@[native code]'),
    exceptions: [{ frames: [['onPress', 'http://localhost:8081/index.ios.bundle?platform=ios&dev=true', 12345, 67, true], ['value', '[native code]', undefined, undefined, false]] }],
  },
  {
    family: 'react-native', name: 'Expo Go with node_modules in the bundle URL',
    text: lines('Error: x', '    at anonymous (http://192.168.0.5:19000/node_modules/expo/AppEntry.bundle?platform=ios&dev=true&hot=false:1234:56)', '    at App (http://192.168.0.5:19000/App.bundle?platform=ios:10:3)'),
    exceptions: [{ frames: [['anonymous', 'http://192.168.0.5:19000/node_modules/expo/AppEntry.bundle?platform=ios&dev=true&hot=false', 1234, 56, false], ['App', 'http://192.168.0.5:19000/App.bundle?platform=ios', 10, 3, true]] }],
  },
  {
    family: 'react-native', name: 'Hermes global frame and native without parentheses',
    text: lines('Error: boot', `    at global (address at ${b}:1:100)`, `    at loadModuleImplementation (address at ${b}:1:2200)`, `    at guardedLoadModule (address at ${b}:1:1500)`),
    exceptions: [{ frames: [['global', b, 1, 100], ['loadModuleImplementation', b, 1, 2200], ['guardedLoadModule', b, 1, 1500]] }],
  },
  {
    family: 'react-native', name: 'Hermes bytecode offsets in index.android.bundle without address',
    text: lines('Error: x', `    at onPress (${b}:1:452701)`, `    at anonymous (${b}:1:1000)`),
    exceptions: [{ frames: [['onPress', b, 1, 452701], ['anonymous', b, 1, 1000]] }],
  },
];
