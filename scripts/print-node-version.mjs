// Prints which Node runs the tests: the pinned `node` devDependency, not the system one.
console.log(`Node ${process.version} (${process.execPath})`)
