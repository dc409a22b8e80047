// seedrandom's ARC4 module on its own (the package's index.js adds six other generators). Its
// export is the same function as the package's default export, typed by @types/seedrandom.
declare module "seedrandom/seedrandom.js" {
  import seedrandom from "seedrandom";
  export default seedrandom;
}
