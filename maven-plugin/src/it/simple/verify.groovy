def log = new File(basedir, 'build.log').text
assert new File(basedir, 'target/classes/com/example/LossesGradients.class').isFile()
assert new File(basedir, 'target/classes/com/example/LossesGradients$SquaredError.class').isFile()
assert log.contains('APP OK equivalentTwoWays=[10.0, 10.0] gradientOfSum=[4.0, 2.0]')
assert log.contains('symgrad: com.example.LossesGradients is up to date')
return true
