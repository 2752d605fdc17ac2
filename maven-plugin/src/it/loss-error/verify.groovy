def log = new File(basedir, 'build.log').text
def expected = 'Losses.java:6:16: error: unsupported call \'Math.floor\''
assert log.readLines().any { it.contains('[ERROR] ') && it.contains(expected) } : "no positioned error in build.log"
assert log.contains('        return Math.floor(z) * z;')
assert !new File(basedir, 'target/classes/com/example/LossesGradients.class').exists()
return true
