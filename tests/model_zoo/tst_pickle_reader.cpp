#include "model_zoo/pickle_json.h"
#include "model_zoo/pickle_reader.h"
#include "pickle_builder.h"
#include "test_support.h"

#include <c10/util/Exception.h>
#include <caffe2/serialize/inline_container.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

using namespace cellvit;
using namespace cellvit::pickle;
using test::PickleBuilder;

namespace {

PickleDocument parse(const std::string& bytes)
{
    return parsePickle(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

// A config-like dict that exercises most opcodes a torch.save file can hold.
std::string richPickle()
{
    PickleBuilder p(4);
    p.op(0x95).le(0, 8); // FRAME (a hint only)
    p.emptyDict().put(0).mark();
    p.str("small").integer(7);
    p.str("medium").integer(40000);
    p.str("negative").integer(-5);
    p.str("huge").integer(int64_t(1) << 40);
    p.str("long1").op(0x8a).le(2, 1).le(0xff38, 2); // -200 as LONG1
    p.str("pi").real(3.25);
    p.op(0x8c).le(5, 1).raw("short").op(0x8d).le(4, 8).raw("utf8"); // SHORT_BINUNICODE, BINUNICODE8
    p.str("bytes").op('C').le(3, 1).raw("abc");
    p.str("none").none();
    p.str("flags").boolean(true).boolean(false).op(0x86); // TUPLE2
    p.str("list").emptyList().op(0x94).mark().integer(1).integer(2).op('e').integer(3).op('a');
    p.str("memo").op('h').le(1, 1); // MEMOIZE stored the list as entry 1
    p.str("numpy").global("numpy.core.multiarray", "scalar");
    p.global("numpy", "dtype").str("f8").boolean(false).boolean(true).op(0x87).reduce();
    p.mark().integer(3).str("<").none().none().none().integer(-1).integer(-1).integer(0).tuple().op('b');
    p.global("_codecs", "encode").str(std::string("\0\0\0\0\0\0\xc3\xb8?", 9)).str("latin1").op(0x86).reduce();
    p.op(0x86).reduce();
    p.str("stack").op(0x8c).le(11, 1).raw("collections").op(0x8c).le(11, 1).raw("OrderedDict").op(0x93);
    p.emptyTuple().reduce().str("k").integer(1).setItem();
    p.setItems();
    return p.bytes();
}

std::string disallowed(const std::string& module, const std::string& name)
{
    PickleBuilder p;
    return p.global(module, name).str("touch /tmp/pwned").op(0x85).reduce().bytes();
}

} // namespace

class TestPickleReader : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesEveryValueKind()
    {
        const PickleDocument doc = parse(richPickle());
        const Value& root = doc.root();
        QCOMPARE(root.kind, Value::Kind::Dict);
        QCOMPARE(root.find("small")->integer, 7);
        QCOMPARE(root.find("medium")->integer, 40000);
        QCOMPARE(root.find("negative")->integer, -5);
        QCOMPARE(root.find("huge")->integer, int64_t(1) << 40);
        QCOMPARE(root.find("long1")->integer, -200);
        QCOMPARE(root.find("pi")->real, 3.25);
        QCOMPARE(root.find("short")->text, std::string("utf8"));
        QCOMPARE(root.find("bytes")->kind, Value::Kind::Bytes);
        QCOMPARE(root.find("none")->kind, Value::Kind::None);
        QCOMPARE(root.find("flags")->items.size(), size_t(2));
        QVERIFY(root.find("flags")->items[0]->boolean && !root.find("flags")->items[1]->boolean);
        const Value* list = root.find("list");
        QCOMPARE(list->items.size(), size_t(3));
        QCOMPARE(list->items[2]->integer, 3);
        QCOMPARE(root.find("memo"), list); // memoised objects are shared, not copied
        // numpy.float64 with the bytes of 1.5 (0x3ff8000000000000), spelled latin-1 as protocol 2 does.
        QCOMPARE(root.find("numpy")->kind, Value::Kind::Float);
        QCOMPARE(root.find("numpy")->real, 1.5);
        QCOMPARE(root.find("stack")->find("k")->integer, 1);

        QVERIFY_THROWS_EXCEPTION(PickleError, flattenedConfig(root)); // bytes have no JSON form
    }

    void flattensConfigDicts()
    {
        // {'model': {'extract_layers': (2, 4), 'backbone': None}, 'ok': [True, 0.5]}
        PickleBuilder p;
        p.emptyDict().mark().str("model").emptyDict().mark().str("extract_layers").integer(2).integer(4).op(0x86);
        p.str("backbone").none().setItems().str("ok").emptyList().mark().boolean(true).real(0.5).op('e').setItems();
        const PickleDocument doc = parse(p.bytes());
        const nlohmann::json config = flattenedConfig(doc.root());
        QCOMPARE(config,
            nlohmann::json::parse("{\"model.extract_layers\": [2, 4], \"model.backbone\": null, "
                                  "\"ok\": [true, 0.5]}"));
        QVERIFY_THROWS_EXCEPTION(PickleError, flattenedConfig(*doc.root().find("ok"))); // not a dict
    }

    void parsesTensorReferences()
    {
        PickleBuilder p;
        p.global("torch._utils", "_rebuild_parameter").mark();
        p.tensor("3", "HalfStorage", 24, 2, { 2, 3 }, { 1, 2 });
        p.boolean(true).global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce();
        const PickleDocument doc = parse(p.bytes());
        const TensorRef& t = doc.root().tensor;
        QCOMPARE(doc.root().kind, Value::Kind::Tensor);
        QCOMPARE(t.storageKey, std::string("3"));
        QCOMPARE(t.storageType, StorageType::Half);
        QCOMPARE(t.storageNumel, 24);
        QCOMPARE(t.storageOffset, 2);
        QCOMPARE(t.sizes, (std::vector<int64_t> { 2, 3 }));
        QCOMPARE(t.strides, (std::vector<int64_t> { 1, 2 }));
        QVERIFY(t.requiresGrad);
    }

    void parsesGoldenCheckpointPickle()
    {
        const auto path = test::goldenCheckpoint("vit_small");
        CELLVIT_REQUIRE_PATH(path);
        caffe2::serialize::PyTorchStreamReader zip(path.string());
        auto [data, size] = zip.getRecord("data.pkl");
        const PickleDocument doc = parsePickle(static_cast<const uint8_t*>(data.get()), size);
        const Value& root = doc.root();
        QCOMPARE(root.find("arch")->text, std::string("CellViT"));
        const Value* stateDict = root.find("model_state_dict");
        QCOMPARE(stateDict->entries.size(), size_t(391));
        QCOMPARE(stateDict->entries[0].first->text, std::string("encoder.cls_token"));
        QCOMPARE(stateDict->entries[0].second->tensor.sizes, (std::vector<int64_t> { 1, 1, 96 }));
        // OrderedDict state from BUILD: `_metadata` with one entry per module (version numbers).
        QVERIFY(stateDict->attributes && stateDict->attributes->find("_metadata"));
        QCOMPARE(stateDict->attributes->find("_metadata")->entries.size(), size_t(370));
        const Value* group = root.find("optimizer_state_dict")->find("param_groups")->items.at(0);
        QCOMPARE(group->find("betas")->items.at(0)->real, 0.85);
        QCOMPARE(group->find("lr")->real, 0.0003);
        QCOMPARE(root.find("best_metric")->kind, Value::Kind::None);
    }

    void refusesGlobalsOutsideTheAllowlist_data()
    {
        QTest::addColumn<QString>("module");
        QTest::addColumn<QString>("name");
        QTest::newRow("posix.system") << "posix"
                                      << "system";
        QTest::newRow("os.system") << "os"
                                   << "system";
        QTest::newRow("builtins.eval") << "builtins"
                                       << "eval";
        QTest::newRow("__builtin__.exec") << "__builtin__"
                                          << "exec";
        QTest::newRow("subprocess.Popen") << "subprocess"
                                          << "Popen";
        QTest::newRow("torch.load") << "torch"
                                    << "load";
    }
    void refusesGlobalsOutsideTheAllowlist()
    {
        QFETCH(QString, module);
        QFETCH(QString, name);
        const std::string qualified = (module + "." + name).toStdString();
        try {
            parse(disallowed(module.toStdString(), name.toStdString()));
            QFAIL("the pickle was accepted");
        } catch (const DisallowedGlobalError& e) {
            QCOMPARE(e.global(), qualified);
            QVERIFY(std::string(e.what()).find("'" + qualified + "'") != std::string::npos);
        }
        // The same through STACK_GLOBAL (protocol 4).
        PickleBuilder p(4);
        p.str(module.toStdString()).str(name.toStdString()).op(0x93);
        QVERIFY_THROWS_EXCEPTION(DisallowedGlobalError, parse(p.bytes()));
    }

    void rejectsLengthsBeyondTheInput()
    {
        // Lengths claim gigabytes; the parser must fail fast instead of allocating.
        QVERIFY_THROWS_EXCEPTION(PickleError, parse(PickleBuilder().op('X').le(0xFFFFFFFFu, 4).raw("ab").bytes()));
        QVERIFY_THROWS_EXCEPTION(PickleError, parse(PickleBuilder(4).op(0x8d).le(~0ull, 8).bytes()));
        QVERIFY_THROWS_EXCEPTION(PickleError, parse(PickleBuilder(4).op(0x8e).le(1ull << 62, 8).bytes()));
        QVERIFY_THROWS_EXCEPTION(PickleError, parse(PickleBuilder().op(0x8b).le(0x7FFFFFFF, 4).bytes()));
        QVERIFY_THROWS_EXCEPTION(PickleError, parse(PickleBuilder(4).op(0x95).le(1ull << 40, 8).bytes()));
        QVERIFY_THROWS_EXCEPTION(PickleError, parse(PickleBuilder().op('j').le(4000000000u, 4).bytes()));
        // A memo index far away is fine (no table of that size is allocated).
        QCOMPARE(parse(PickleBuilder().integer(5).op('r').le(4000000000u, 4).bytes()).root().integer, 5);
    }

    void rejectsMalformedStructure()
    {
        QVERIFY_THROWS_EXCEPTION(PickleError, parse(""));
        QVERIFY_THROWS_EXCEPTION(PickleError, parse(PickleBuilder().bytes())); // STOP on an empty stack
        QVERIFY_THROWS_EXCEPTION(PickleError, parse(PickleBuilder().tuple().bytes())); // no MARK
        QVERIFY_THROWS_EXCEPTION(PickleError, parse(PickleBuilder().integer(1).integer(2).setItem().bytes()));
        QVERIFY_THROWS_EXCEPTION(PickleError, parse(PickleBuilder().op(0xff).bytes()));
        QVERIFY_THROWS_EXCEPTION(PickleError, parse(PickleBuilder().mark().integer(1).bytes())); // open MARK
        // A tensor with more than 64 dimensions.
        PickleBuilder tooManyDims;
        tooManyDims.tensor("0", "FloatStorage", 1, 0, std::vector<int64_t>(65, 1), std::vector<int64_t>(65, 1));
        QVERIFY_THROWS_EXCEPTION(PickleError, parse(tooManyDims.bytes()));
        // Storage key that tries to escape the data/ folder.
        PickleBuilder escape;
        escape.tensor("../data.pkl", "FloatStorage", 1, 0, { 1 }, { 1 });
        QVERIFY_THROWS_EXCEPTION(PickleError, parse(escape.bytes()));
    }

    void boundsCyclicConfigs()
    {
        // l = []; l.append(l); l.append(l): a cycle whose naive expansion never ends.
        PickleBuilder p;
        p.emptyDict().str("loop").emptyList().put(0).get(0).op('a').get(0).op('a').setItem();
        const PickleDocument doc = parse(p.bytes());
        QVERIFY_THROWS_EXCEPTION(PickleError, flattenedConfig(doc.root()));
    }

    void survivesTruncationAndCorruption()
    {
        // Every prefix of a valid stream, and seeded random byte flips, either parse or throw PickleError.
        const std::string valid = richPickle();
        for (size_t n = 0; n < valid.size(); ++n)
            QVERIFY_THROWS_EXCEPTION(PickleError, parse(valid.substr(0, n)));
        std::mt19937 rng(1234);
        int parsed = 0;
        for (int round = 0; round < 20000; ++round) {
            std::string mutated = valid;
            for (int k = 0; k < 3; ++k)
                mutated[rng() % mutated.size()] = static_cast<char>(rng() & 0xFF);
            try {
                const PickleDocument doc = parse(mutated);
                if (doc.root().kind == Value::Kind::Dict)
                    (void)flattenedConfig(doc.root());
                ++parsed;
            } catch (const PickleError&) {
            }
        }
        QVERIFY(parsed < 20000); // the corruptions were noticed at least sometimes
    }
};

QTEST_GUILESS_MAIN(TestPickleReader)
#include "tst_pickle_reader.moc"
