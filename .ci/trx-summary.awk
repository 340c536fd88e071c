# Reads TRX files (the test results `dotnet test --logger trx` writes) and prints one line per result of interest:
#   SKIP <tab> test name <tab> skip reason       for every test not executed (xunit's Skip)
#   COMPAT <tab> outcome                         for every case of the LiteLLM compat-corpus theory
# The Counters element is no help for skips: xunit's skipped tests leave its notExecuted at 0.
function unxml(s) {
  gsub(/&quot;/, "\"", s); gsub(/&apos;/, "'", s); gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&amp;/, "\\&", s)
  return s
}
function attribute(line, key,    value) {
  if (!index(line, " " key "=\"")) return ""
  value = line
  sub(".* " key "=\"", "", value)
  sub(/".*/, "", value)
  return value
}
/<UnitTestResult / {
  name = unxml(attribute($0, "testName")); outcome = attribute($0, "outcome")
  if (index(name, "LlmGate.Tests.Configuration.ConfigLoaderCompatTests.") == 1) print "COMPAT\t" outcome
  skipping = (outcome == "NotExecuted"); reason = ""; inmessage = 0
  if (skipping && $0 ~ /\/>[[:space:]]*$/) { print "SKIP\t" name "\t(no reason given)"; skipping = 0 }
  next
}
skipping {
  line = $0
  if (!inmessage && index(line, "<Message>")) { inmessage = 1; sub(/.*<Message>/, "", line) }
  if (inmessage) {
    closed = index(line, "</Message>")
    if (closed) sub(/<\/Message>.*/, "", line)
    sub(/^[[:space:]]+/, "", line)
    if (line != "") reason = reason (reason == "" ? "" : " ") line
    if (closed) inmessage = 0
  }
  if (index($0, "</UnitTestResult>")) {
    print "SKIP\t" name "\t" (reason == "" ? "(no reason given)" : unxml(reason))
    skipping = 0
  }
}
