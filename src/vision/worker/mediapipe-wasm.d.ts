// The ES-module build of tasks-vision's wasm loader ships without types; it is only ever handed to
// tasks-vision as `self.ModuleFactory`.
declare module '@mediapipe/tasks-vision/vision_wasm_module_internal.js' {
  const ModuleFactory: (moduleArg?: Record<string, unknown>) => Promise<unknown>;
  export default ModuleFactory;
}
