SELECT
  `t9`.`pos`,
  `t9`.`id`,
  `t9`.`row`,
  `t9`.`date`,
  `t9`.`title`,
  `t9`.`summary`,
  `t9`.`type`,
  `t9`.`tags`,
  `t9`.`actors`,
  `t9`.`quotes`,
  `t9`.`sources`,
  `t9`.`draft`,
  `t9`.`confidence`,
  `t9`.`date_note`,
  `t9`.`note`,
  `t9`.`extra`,
  `t9`.`notes`,
  `t9`.`source`,
  `t9`.`url`
FROM (
  SELECT
    `t8`.`id`,
    `t8`.`row`,
    `t8`.`date`,
    `t8`.`rank`,
    `t8`.`lower`,
    `t8`.`upper`,
    `t8`.`hy`,
    `t8`.`hm`,
    `t8`.`ly`,
    `t8`.`lm`,
    `t8`.`lday`,
    `t8`.`title`,
    `t8`.`summary`,
    `t8`.`type`,
    `t8`.`tags`,
    `t8`.`actors`,
    `t8`.`quotes`,
    `t8`.`sources`,
    `t8`.`draft`,
    `t8`.`confidence`,
    `t8`.`date_note`,
    `t8`.`note`,
    `t8`.`extra`,
    `t8`.`notes`,
    `t8`.`source`,
    `t8`.`url`,
    TRANSLATE(
      LOWER(
        ARRAY_TO_STRING([`t8`.`title`, COALESCE(`t8`.`summary`, ''), COALESCE(`t8`.`notes`, '')], '\n')
      ),
      '\tABCDEFGHIJKLMNOPQRSTUVWXYZ` «´»àÀáÁâÂãÃäÄåÅÆçÇèÈéÉêÊëËìÌíÍîÎïÏÐñÑòÒóÓôÔõÕöÖøØùÙúÚûÛüÜýÝÞÿāĀăĂąĄćĆĉĈċĊčČďĎđĐēĒĕĔėĖęĘěĚĝĜğĞġĠģĢĥĤĦĩĨīĪĭĬįĮİıĲĵĴķĶĺĹļĻľĽĿłŁńŃņŅňŇŊōŌŏŎőŐŒŕŔŗŖřŘśŚŝŜşŞšŠţŢťŤŦũŨūŪŭŬůŮűŰųŲŵŴŷŶŸźŹżŻžŽƁƂƄƆƇƉƊƋƎƏƐƑƓƔƖƗƘƜƝƟơƠƢƤƦƧƩƬƮưƯƱƲƳƵƷƸƼǄǅǇǈǊǋǎǍǐǏǒǑǔǓǖǕǘǗǚǙǜǛǟǞǡǠǣǢǤǧǦǩǨǫǪǭǬǯǮǰǱǲǵǴǶǷǹǸǻǺǽǼǿǾȁȀȃȂȅȄȇȆȉȈȋȊȍȌȏȎȑȐȓȒȕȔȗȖșȘțȚȜȟȞȠȢȤȧȦȩȨȫȪȭȬȯȮȱȰȳȲȺȻȽȾɁɃɄɅɆɈɊɌɎͰͲʹͶ;Ϳ΅άΆ·έΈήΉίΊόΌύΎώΏΐΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩϊΪϋΫΰϏϓϔϘϚϜϞϠϢϤϦϨϪϬϮϴϷϹϺϽϾϿѐЀёЁЂѓЃЄЅІїЇЈЉЊЋќЌѝЍўЎЏАБВГДЕЖЗИйЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯѠѢѤѦѨѪѬѮѰѲѴѷѶѸѺѼѾҀҊҌҎҐҒҔҖҘҚҜҞҠҢҤҦҨҪҬҮҰҲҴҶҸҺҼҾӀӂӁӃӅӇӉӋӍӑӐӓӒӔӗӖӘӛӚӝӜӟӞӠӣӢӥӤӧӦӨӫӪӭӬӯӮӱӰӳӲӵӴӶӹӸӺӼӾԀԂԄԆԈԊԌԎԐԒԔԖԘԚԜԞԠԢԤԦԨԪԬԮḁḀḃḂḅḄḇḆḉḈḋḊḍḌḏḎḑḐḓḒḕḔḗḖḙḘḛḚḝḜḟḞḡḠḣḢḥḤḧḦḩḨḫḪḭḬḯḮḱḰḳḲḵḴḷḶḹḸḻḺḽḼḿḾṁṀṃṂṅṄṇṆṉṈṋṊṍṌṏṎṑṐṓṒṕṔṗṖṙṘṛṚṝṜṟṞṡṠṣṢṥṤṧṦṩṨṫṪṭṬṯṮṱṰṳṲṵṴṷṶṹṸṻṺṽṼṿṾẁẀẃẂẅẄẇẆẉẈẋẊẍẌẏẎẑẐẓẒẕẔẖẗẘẙẛẞạẠảẢấẤầẦẩẨẫẪậẬắẮằẰẳẲẵẴặẶẹẸẻẺẽẼếẾềỀểỂễỄệỆỉỈịỊọỌỏỎốỐồỒổỔỗỖộỘớỚờỜởỞỡỠợỢụỤủỦứỨừỪửỬữỮựỰỳỲỵỴỷỶỹỸỺỼỾ     ‐‑‒–—―‘’‚‛“”„‟ ′″　',
      ' abcdefghijklmnopqrstuvwxyz\' "\'"aaaaaaaaaaaaæcceeeeeeeeiiiiiiiiðnnoooooooooooouuuuuuuuyyþyaaaaaaccccccccddddeeeeeeeeeegggggggghhħiiiiiiiiiiĳjjkkllllllŀllnnnnnnŋooooooœrrrrrrssssssssttttŧuuuuuuuuuuuuwwyyyzzzzzzɓƃƅɔƈɖɗƌǝəɛƒɠɣɩɨƙɯɲɵooƣƥʀƨʃƭʈuuʊʋƴƶʒƹƽǆǆǉǉǌǌaaiioouuuuuuuuuuaaaaææǥggkkooooʒʒjǳǳggƕƿnnaaææøøaaaaeeeeiiiioooorrrruuuussttȝhhƞȣȥaaeeooooooooyyⱥȼƚⱦɂƀʉʌɇɉɋɍɏͱͳʹͷ;ϳ¨αα·εεηηιιοουυωωιαβγδεζηθικλμνξοπρστυφχψωιιυυυϗϒϒϙϛϝϟϡϣϥϧϩϫϭϯθϸϲϻͻͼͽееееђггєѕіііјљњћккииууџабвгдежзиииклмнопрстуфхцчшщъыьэюяѡѣѥѧѩѫѭѯѱѳѵѵѵѹѻѽѿҁҋҍҏґғҕҗҙқҝҟҡңҥҧҩҫҭүұҳҵҷҹһҽҿӏжжӄӆӈӊӌӎааааӕееәәәжжззӡииииооөөөээууууууччӷыыӻӽӿԁԃԅԇԉԋԍԏԑԓԕԗԙԛԝԟԡԣԥԧԩԫԭԯaabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmmmmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvvwwwwwwwwwwxxxxyyzzzzzzhtwyſßaaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyyỻỽỿ     ------\'\'\'\'"""" \'" '
    ) AS `hay`,
    ROW_NUMBER() OVER (ORDER BY `t8`.`rank` ASC, `t8`.`id` ASC) - 1 AS `pos`
  FROM (
    SELECT
      COALESCE(
        NULLIF(TRIM(CAST(`t7`.`GLOBALEVENTID` AS STRING), ' \t\n\r\v\f'), ''),
        CONCAT('row-', CAST(`t7`.`_row` AS STRING))
      ) AS `id`,
      `t7`.`_row` AS `row`,
      `t3`.`date`,
      `t4`.`rank`,
      `t4`.`lower`,
      `t4`.`upper`,
      `t4`.`hy`,
      `t4`.`hm`,
      `t4`.`ly`,
      `t4`.`lm`,
      `t4`.`lday`,
      COALESCE(
        REGEXP_REPLACE(
          NULLIF(
            ARRAY_TO_STRING(
              [
                NULLIF(TRIM(`t7`.`EventCode`, ' \t\n\r\v\f'), ''),
                NULLIF(
                  ARRAY_TO_STRING(
                    [
                      NULLIF(
                        ARRAY_TO_STRING(
                          [
                            NULLIF(TRIM(`t7`.`Actor1Name`, ' \t\n\r\v\f'), ''),
                            NULLIF(TRIM(`t7`.`Actor2Name`, ' \t\n\r\v\f'), '')
                          ],
                          ' and '
                        ),
                        ''
                      ),
                      CONCAT(
                        'in ',
                        NULLIF(
                          ARRAY_TO_STRING([NULLIF(TRIM(`t7`.`ActionGeo_FullName`, ' \t\n\r\v\f'), '')], ', '),
                          ''
                        )
                      )
                    ],
                    ' '
                  ),
                  ''
                )
              ],
              ': '
            ),
            ''
          ),
          '\\s+',
          ' '
        ),
        CONCAT('Row ', CAST(`t7`.`_row` AS STRING))
      ) AS `title`,
      '' AS `summary`,
      COALESCE(NULLIF(TRIM(`t7`.`EventCode`, ' \t\n\r\v\f'), ''), '') AS `type`,
      [] AS `tags`,
      ARRAY(
        SELECT
          __ibis_param_x__
        FROM UNNEST(ARRAY(
          SELECT
            TRIM(__ibis_param_x__, ' \t\n\r\v\f')
          FROM UNNEST(ARRAY_CONCAT(
            COALESCE([NULLIF(TRIM(`t7`.`Actor1Name`, ' \t\n\r\v\f'), '')], []),
            COALESCE([NULLIF(TRIM(`t7`.`Actor2Name`, ' \t\n\r\v\f'), '')], [])
          )) AS __ibis_param_x__
        )) AS __ibis_param_x__
        WHERE
          (
            __ibis_param_x__ IS NOT NULL
          ) AND (
            __ibis_param_x__ <> ''
          )
      ) AS `actors`,
      CAST(NULL AS STRING) AS `quotes`,
      CAST(NULLIF(TRIM(`t7`.`SOURCEURL`, ' \t\n\r\v\f'), '') IS NOT NULL AS INT64) AS `sources`,
      FALSE AS `draft`,
      CAST(NULL AS FLOAT64) AS `confidence`,
      `t3`.`date_note`,
      CONCAT(CONCAT('gdelt-bq.gdeltv2.events, row ', CAST(`t7`.`_row` AS STRING)), '.') AS `note`,
      CAST(NULL AS STRING) AS `extra`,
      NULLIF(TRIM(`t7`.`SOURCEURL`, ' \t\n\r\v\f'), '') AS `notes`,
      CAST(NULL AS STRING) AS `source`,
      NULLIF(TRIM(`t7`.`SOURCEURL`, ' \t\n\r\v\f'), '') AS `url`
    FROM (
      SELECT
        `t5`.`GLOBALEVENTID`,
        `t5`.`SQLDATE`,
        `t5`.`Actor1Name`,
        `t5`.`Actor2Name`,
        `t5`.`EventCode`,
        `t5`.`ActionGeo_FullName`,
        `t5`.`SOURCEURL`,
        `t5`.`_row`,
        COALESCE(NULLIF(TRIM(CAST(`t5`.`SQLDATE` AS STRING), ' \t\n\r\v\f'), ''), '') AS `_d`,
        '' AS `_p`
      FROM (
        SELECT
          `t2`.`GLOBALEVENTID`,
          `t2`.`SQLDATE`,
          `t2`.`Actor1Name`,
          `t2`.`Actor2Name`,
          `t2`.`EventCode`,
          `t2`.`ActionGeo_FullName`,
          `t2`.`SOURCEURL`,
          (
            ROW_NUMBER() OVER () - 1
          ) + 1 AS `_row`
        FROM `gdelt-bq`.`gdeltv2`.`events` AS `t2`
      ) AS `t5`
    ) AS `t7`
    INNER JOIN `te_date_cells` AS `t3`
      ON `t7`.`_d` = `t3`.`cell` AND `t7`.`_p` = `t3`.`code`
    INNER JOIN `te_dates` AS `t4`
      ON `t3`.`date` = `t4`.`date`
  ) AS `t8`
) AS `t9`
WHERE
  `t9`.`pos` >= 0 AND `t9`.`pos` < 200
ORDER BY
  `t9`.`pos` ASC NULLS LAST
